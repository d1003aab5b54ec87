package dev.creditgate.postgresql.chaos;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.WalletEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One call a worker made, with its own idempotency key: what it asked, and what came of it (the
 * answer, or the exception), with what the store saw of it while it ran (attempts, faults, lost
 * races, replays). Written only by the thread that made the call
 * (the store and the event sink run on that thread), read once the workers ended.
 */
final class Call {
  /** What the call does. */
  enum Kind { CHARGE, RESERVE, CAPTURE, RELEASE, TOP_UP, CHANGE_PLAN }

  /** The call the current thread is making, for the store and the sink to attribute to. */
  private static final ThreadLocal<Call> CURRENT = new ThreadLocal<>();

  final int id;
  final String caller;
  final Kind kind;
  final AccountId wallet;
  final IdempotencyKey key;
  final String request;
  /** The reserve whose hold a capture or release settles; null for other calls. */
  final Call hold;
  private final Function<CreditGate, Object> send;

  Object answer;
  RuntimeException failure;
  long nanos;
  /** Attempts the gate ran through the store's transaction, and how they ended. */
  int attempts;
  int faultedAttempts;
  int lostRaces;
  /** Attempts that found the key's record: an earlier attempt's commit had landed. */
  int replays;
  /** Commits the store reported as landed. */
  int landed;

  Call(int id, String caller, Kind kind, AccountId wallet, IdempotencyKey key, String request, Call hold,
      Function<CreditGate, Object> send) {
    this.id = id;
    this.caller = caller;
    this.kind = kind;
    this.wallet = wallet;
    this.key = key;
    this.request = request;
    this.hold = hold;
    this.send = send;
  }

  /** The call this thread is making, or null outside one. */
  static Call current() {
    return CURRENT.get();
  }

  /** Makes the call through {@code gate}, recording its answer or its exception. */
  void make(CreditGate gate) {
    CURRENT.set(this);
    long start = System.nanoTime();
    try {
      answer = send.apply(gate);
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      nanos = System.nanoTime() - start;
      CURRENT.remove();
    }
  }

  /** The same call, with the same key and arguments, made again through {@code gate}. */
  Object resend(CreditGate gate) {
    return send.apply(gate);
  }

  /** Whether {@code answer} is one that a store recorded with its key (every answer but a denial). */
  static boolean recordsItsKey(Object answer) {
    return !(answer instanceof Decision d) || d.isAllowed();
  }

  /** Whether the first answer was a reserve's allowed hold. */
  boolean openedHold() {
    return answer instanceof Decision d && d.isAllowed();
  }

  /** The account and key, as the store's records are keyed. */
  String recordKey() {
    return wallet.value() + "|" + key.value();
  }

  @Override
  public String toString() {
    String outcome = failure != null
        ? failure.getClass().getSimpleName() + ": " + failure.getMessage()
        : String.valueOf(answer);
    return "#" + id + " " + caller + " " + kind + " " + wallet + " key=" + key + " " + request + " -> " + outcome
        + " [attempts " + attempts + ", faulted " + faultedAttempts + ", lost races " + lostRaces + ", replays "
        + replays + ", landed " + landed + "]";
  }
}
