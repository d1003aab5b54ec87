package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.GateObserver;
import dev.creditgate.spi.GateObserver.Call;
import dev.creditgate.spi.GateObserver.Retry;
import dev.creditgate.spi.RetryPolicy;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoreUnavailableException;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The observer port: each method is told what happened, with the call's own values, once per
 * commit for what a commit changed; and an observer that throws never breaks or undoes a call.
 */
class GateObserverTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId MAYA = AccountId.of("maya");

  /** Every call the observer got, as text, in order; and the times, apart. */
  private static final class Recording implements GateObserver {
    final List<String> seen = new ArrayList<>();
    final List<Long> nanos = new ArrayList<>();

    @Override
    public void decided(Call call, Decision decision) {
      seen.add("decided " + call + " " + decision.operation().id() + " " + decision.cost()
          + (decision instanceof Decision.Denied d ? " denied " + d.reason() : " allowed"));
    }

    @Override
    public void settled(Call call, HoldSettlement settlement) {
      seen.add("settled " + call + " " + settlement.hold() + " charged " + settlement.charged());
    }

    @Override
    public void recorded(WalletEvent event) {
      seen.add("recorded " + event.getClass().getSimpleName() + " " + event.account());
    }

    @Override
    public void spent(Operation operation, Credits credits) {
      seen.add("spent " + operation.id() + " " + credits);
    }

    @Override
    public void holdsChanged(int opened, int closed) {
      seen.add("holds +" + opened + " -" + closed);
    }

    @Override
    public void finished(Call call, long nanos, boolean failed) {
      seen.add("finished " + call + (failed ? " failed" : " ok"));
      this.nanos.add(nanos);
    }

    @Override
    public void retried(Retry kind) {
      seen.add("retried " + kind);
    }

    List<String> take() {
      List<String> taken = List.copyOf(seen);
      seen.clear();
      return taken;
    }
  }

  private static IdempotencyKey key(String k) {
    return IdempotencyKey.of(k);
  }

  @Test
  void eachCallTellsTheObserverItsAnswerWhatItsCommitChangedAndThatItFinished() {
    Recording observer = new Recording();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).observer(observer).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    assertEquals(List.of("finished OPEN ok"), observer.take());

    gate.charge(MAYA, Operation.GENERATE_IMAGE, 10, key("c1"), T0);
    assertEquals(List.of("spent generate-image 20", "decided CHARGE generate-image 20 allowed",
        "finished CHARGE ok"), observer.take());

    // 30 - 20 - 10 = 0: both warnings (20% and 0%) crossed by one commit.
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 5, key("c2"), T0);
    assertEquals(List.of("recorded ThresholdCrossed maya", "recorded ThresholdCrossed maya",
        "spent generate-image 10", "decided CHARGE generate-image 10 allowed", "finished CHARGE ok"),
        observer.take());

    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key("c3"), T0);
    assertEquals(List.of("decided CHARGE generate-image 2 denied INSUFFICIENT_CREDITS", "finished CHARGE ok"),
        observer.take());

    // A repeat answers again but commits nothing: nothing spent, no event.
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 5, key("c2"), T0);
    assertEquals(List.of("decided CHARGE generate-image 10 allowed", "finished CHARGE ok"), observer.take());

    gate.topUp(MAYA, "small", key("pay-1"), T0);
    assertEquals(List.of("recorded CreditsGranted maya", "finished TOP_UP ok"), observer.take());

    gate.check(MAYA, Operation.VIEW_DATA, 1, T0);
    gate.charge(MAYA, Operation.VIEW_DATA, 1, key("free-1"), T0);
    assertEquals(List.of("decided CHECK view-data 0 allowed", "finished CHECK ok",
        "decided CHARGE view-data 0 allowed", "finished CHARGE ok"), observer.take());

    gate.reserve(MAYA, Operation.GENERATE_IMAGE, 3, key("h1"), T0);
    assertEquals(List.of("holds +1 -0", "decided RESERVE generate-image 6 allowed", "finished RESERVE ok"),
        observer.take());
    gate.capture(MAYA, key("h1"), 2, Outcome.succeeded(), key("cap-1"), T0);
    assertEquals(List.of("spent generate-image 4", "holds +0 -1", "settled CAPTURE h1 charged 4",
        "finished CAPTURE ok"), observer.take());
    gate.reserve(MAYA, Operation.GENERATE_IMAGE, 1, key("h2"), T0);
    gate.release(MAYA, key("h2"), key("rel-1"), T0);
    assertEquals(List.of("holds +1 -0", "decided RESERVE generate-image 2 allowed", "finished RESERVE ok",
        "holds +0 -1", "settled RELEASE h2 charged 0", "finished RELEASE ok"), observer.take());

    // A month later: the renewal lands with the charge that applied it.
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key("c4"), T0.plus(Duration.ofDays(32)));
    assertEquals(List.of("recorded SubscriptionRenewed maya", "spent generate-image 2",
        "decided CHARGE generate-image 2 allowed", "finished CHARGE ok"), observer.take());
  }

  @Test
  void aFailedCallFinishesFailedAndItsTimeIsMeasured() {
    Recording observer = new Recording();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).observer(observer).build();
    assertThrows(UnknownAccountException.class, () -> gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key("c1"), T0));
    assertThrows(UnknownCatalogItemException.class, () -> gate.topUp(MAYA, "no-such-pack", key("p"), T0));
    assertEquals(List.of("finished CHARGE failed", "finished TOP_UP failed"), observer.take());
    assertTrue(observer.nanos.stream().allMatch(n -> n >= 0), observer.nanos.toString());
  }

  @Test
  void expiredHoldsCloseWhenTheSweepCommitsThem() {
    Recording observer = new Recording();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).observer(observer).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    gate.reserve(MAYA, Operation.GENERATE_IMAGE, 1, key("h1"), T0);
    gate.reserve(MAYA, Operation.GENERATE_IMAGE, 1, key("h2"), T0);
    observer.take();
    assertEquals(1, gate.expireHolds(T0.plus(Duration.ofHours(1))));
    assertEquals(List.of("holds +0 -2", "finished EXPIRE_HOLDS ok"), observer.take());
  }

  @Test
  void lostRacesStoreRetriesAndGivingUpAreEachReported() {
    AtomicInteger losses = new AtomicInteger();
    AtomicInteger faults = new AtomicInteger();
    WalletStore memory = InMemoryWalletStore.create();
    WalletStore store = new ForwardingWalletStore(memory) {
      @Override
      public boolean commit(Commit commit) {
        if (faults.get() > 0) {
          faults.decrementAndGet();
          throw new StoreUnavailableException("injected", null);
        }
        if (losses.get() > 0) {
          losses.decrementAndGet();
          return false;
        }
        return super.commit(commit);
      }

      @Override
      public Optional<WalletTransaction> transaction() {
        return Optional.empty();
      }

      @Override
      public RetryPolicy retryPolicy() {
        return new RetryPolicy(3, Duration.ofMinutes(1));
      }
    };
    Recording observer = new Recording();
    CreditGate gate = CreditGate.builder(store).observer(observer).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    observer.take();

    losses.set(1);
    faults.set(1);
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key("c1"), T0);
    assertEquals(List.of("retried STORE_FAILURE", "retried LOST_RACE", "spent generate-image 2",
        "decided CHARGE generate-image 2 allowed", "finished CHARGE ok"), observer.take());

    faults.set(10);
    assertThrows(StoreException.class, () -> gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key("c2"), T0));
    assertEquals(List.of("retried STORE_FAILURE", "retried STORE_FAILURE", "retried GAVE_UP",
        "finished CHARGE failed"), observer.take());
    RetryStatistics stats = gate.retryStatistics();
    assertEquals(new RetryStatistics(1, 3, 1), stats);
  }

  /** An observer whose every method throws {@code failure}. */
  private static GateObserver throwing(RuntimeException failure, AtomicInteger calls) {
    return new GateObserver() {
      @Override
      public void decided(Call call, Decision decision) {
        calls.incrementAndGet();
        throw failure;
      }

      @Override
      public void settled(Call call, HoldSettlement settlement) {
        calls.incrementAndGet();
        throw failure;
      }

      @Override
      public void recorded(WalletEvent event) {
        calls.incrementAndGet();
        throw failure;
      }

      @Override
      public void spent(Operation operation, Credits credits) {
        calls.incrementAndGet();
        throw failure;
      }

      @Override
      public void holdsChanged(int opened, int closed) {
        calls.incrementAndGet();
        throw failure;
      }

      @Override
      public void finished(Call call, long nanos, boolean failed) {
        calls.incrementAndGet();
        throw failure;
      }

      @Override
      public void retried(Retry kind) {
        calls.incrementAndGet();
        throw failure;
      }
    };
  }

  @Test
  void anObserverThatThrowsEverywhereNeitherBreaksNorUndoesACall() {
    AtomicInteger calls = new AtomicInteger();
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(store).observer(throwing(new IllegalStateException("meters down"), calls))
        .build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    Decision charged = gate.charge(MAYA, Operation.GENERATE_IMAGE, 15, key("c1"), T0);
    assertInstanceOf(Decision.Allowed.class, charged);
    assertEquals(Credits.ZERO, gate.status(MAYA, T0).available());
    // The charge's commit stands: a repeat replays it, and the ledger holds its debit.
    assertEquals(charged, gate.charge(MAYA, Operation.GENERATE_IMAGE, 15, key("c1"), T0));
    assertTrue(gate.replay(MAYA).isConsistent());
    // Each hook was tried: the open's finish; the charge's two thresholds, spent, decided and
    // finish; the repeat's decided and finish.
    assertEquals(1 + 5 + 2, calls.get());
  }

  @Test
  void theObserverIsToldTheSameCountsWhateverItThrewBefore() {
    AtomicInteger calls = new AtomicInteger();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create())
        .observer(throwing(new IllegalStateException("meters down"), calls)).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    for (int i = 0; i < 3; i++) {
      gate.check(MAYA, Operation.GENERATE_IMAGE, 1, T0);
    }
    // 1 for the open, then decided and finished for each check: a failure silences no later call.
    assertEquals(1 + 3 * 2, calls.get());
    assertFalse(gate.check(MAYA, Operation.GENERATE_IMAGE, 100, T0).isAllowed());
  }
}
