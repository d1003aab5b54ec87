package dev.creditgate;

import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.GateObserver;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's {@link GateObserver}, contained: whatever it throws (but a {@link VirtualMachineError})
 * is caught and logged at WARN at most once a minute per method, and never reaches the call. With
 * no observer set, each hook is one branch.
 */
final class Observers {
  private static final Logger log = LoggerFactory.getLogger(Observers.class);
  /** The observer a gate has unless one is set: every method does nothing. */
  static final GateObserver NONE = new GateObserver() {};
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final String[] METHODS = {"decided", "settled", "recorded", "spent", "holdsChanged", "finished",
      "retried"};
  private static final int DECIDED = 0;
  private static final int SETTLED = 1;
  private static final int RECORDED = 2;
  private static final int SPENT = 3;
  private static final int HOLDS_CHANGED = 4;
  private static final int FINISHED = 5;
  private static final int RETRIED = 6;

  private final GateObserver observer;
  private final boolean none;
  /** Per method, the nanoTime before which a failure is not logged again; 0 until the first. */
  private final AtomicLongArray quietUntil = new AtomicLongArray(METHODS.length);

  Observers(GateObserver observer) {
    this.observer = observer;
    this.none = observer == NONE;
  }

  /** Runs a check, a charge or a reserve, and reports its answer and its time. */
  Decision decision(GateObserver.Call call, Supplier<Decision> body) {
    if (none) {
      return body.get();
    }
    long start = System.nanoTime();
    Decision decision = run(call, start, body);
    try {
      observer.decided(call, decision);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      failed(DECIDED, e);
    }
    finished(call, start, false);
    return decision;
  }

  /** Runs a capture or a release, and reports its answer and its time. */
  HoldSettlement settlement(GateObserver.Call call, Supplier<HoldSettlement> body) {
    if (none) {
      return body.get();
    }
    long start = System.nanoTime();
    HoldSettlement settlement = run(call, start, body);
    try {
      observer.settled(call, settlement);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      failed(SETTLED, e);
    }
    finished(call, start, false);
    return settlement;
  }

  /** Runs any other gate call, and reports its time. */
  <T> T timed(GateObserver.Call call, Supplier<T> body) {
    if (none) {
      return body.get();
    }
    long start = System.nanoTime();
    T result = run(call, start, body);
    finished(call, start, false);
    return result;
  }

  /** The call's answer; if it throws (anything, a checked exception thrown sneakily too), it finished failed. */
  private <T> T run(GateObserver.Call call, long start, Supplier<T> body) {
    boolean answered = false;
    try {
      T result = body.get();
      answered = true;
      return result;
    } finally {
      if (!answered) {
        finished(call, start, true);
      }
    }
  }

  private void finished(GateObserver.Call call, long start, boolean failed) {
    try {
      observer.finished(call, System.nanoTime() - start, failed);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      failed(FINISHED, e);
    }
  }

  void retried(GateObserver.Retry kind) {
    if (none) {
      return;
    }
    try {
      observer.retried(kind);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      failed(RETRIED, e);
    }
  }

  /**
   * Reports what a commit of this gate changed: its events, the credits it spent, the holds it
   * opened and closed.
   *
   * @param before the wallet as stored before the commit; null for a wallet it opened
   * @param landed the transition the commit wrote
   */
  void committed(@Nullable Wallet before, Transition landed) {
    if (none) {
      return;
    }
    for (WalletEvent event : landed.events()) {
      try {
        observer.recorded(event);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        failed(RECORDED, e);
      }
    }
    reportSpent(landed.entries());
    List<Hold> was = before == null ? List.of() : before.holds();
    List<Hold> is = landed.wallet().holds();
    if (was == is || was.isEmpty() && is.isEmpty()) {
      return;
    }
    int opened = absentFrom(was, is);
    int closed = absentFrom(is, was);
    if (opened == 0 && closed == 0) {
      return;
    }
    try {
      observer.holdsChanged(opened, closed);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      failed(HOLDS_CHANGED, e);
    }
  }

  /** The DEBIT and CAPTURE entries of one commit: one charge's or one capture's, of one operation. */
  private void reportSpent(List<LedgerEntry> entries) {
    long spent = 0;
    String operation = null;
    for (int i = 0; i < entries.size(); i++) {
      LedgerEntry entry = entries.get(i);
      if (entry.kind() == LedgerEntry.Kind.DEBIT || entry.kind() == LedgerEntry.Kind.CAPTURE) {
        spent = Thousandths.add(spent, -entry.amount().thousandths());
        operation = entry.operation();
      }
    }
    if (operation == null || spent == 0) {
      return;
    }
    try {
      observer.spent(Operation.of(operation), Credits.ofThousandths(spent));
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      failed(SPENT, e);
    }
  }

  /** How many of {@code holds} have an id that none of {@code others} has. */
  private static int absentFrom(List<Hold> others, List<Hold> holds) {
    if (others.isEmpty()) {
      return holds.size();
    }
    Set<String> ids = new HashSet<>();
    for (Hold other : others) {
      ids.add(other.id());
    }
    int absent = 0;
    for (Hold hold : holds) {
      if (!ids.contains(hold.id())) {
        absent++;
      }
    }
    return absent;
  }

  private void failed(int method, Throwable e) {
    long now = System.nanoTime();
    long until = quietUntil.get(method);
    if (until != 0 && now - until < 0) {
      return;
    }
    if (quietUntil.compareAndSet(method, until, now + WARN_EVERY_NANOS | 1)) {
      log.warn("gate observer {} failed in {} (logged at most once a minute); the call it reports is unaffected",
          observer.getClass().getName(), METHODS[method], e);
    }
  }
}
