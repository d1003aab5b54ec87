package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletState;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HoldSweepTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

  /** The in-memory store, but its hold index also lists {@code stale}, whose holds are long gone. */
  private static final class StaleIndexStore extends ForwardingWalletStore {
    final InMemoryWalletStore real;
    final AccountId stale;
    Set<AccountId> unreadable = Set.of();
    int lookups;

    StaleIndexStore(AccountId stale) {
      this(InMemoryWalletStore.create(), stale);
    }

    private StaleIndexStore(InMemoryWalletStore real, AccountId stale) {
      super(real);
      this.real = real;
      this.stale = stale;
    }

    @Override
    public List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit) {
      lookups++;
      List<AccountId> due = new ArrayList<>(super.accountsWithHoldsExpiredBy(at, limit));
      due.add(0, stale);
      return due.subList(0, Math.min(limit, due.size()));
    }

    @Override
    public Optional<StoredWallet> load(AccountId account) {
      if (unreadable.contains(account)) {
        return Optional.of(new StoredWallet(WalletState.ofEncoded("2:w9"), 1));
      }
      return super.load(account);
    }

    @Override
    public Optional<WalletTransaction> transaction() {
      return unreadable.isEmpty() ? super.transaction() : Optional.empty();
    }
  }

  @Test
  void aSweepOverAStaleHoldIndexSweepsEachAccountOnceAndEnds() {
    AccountId idle = AccountId.of("idle");
    AccountId busy = AccountId.of("busy");
    StaleIndexStore store = new StaleIndexStore(idle);
    CreditGate gate = CreditGate.builder(store).holdTimeToLive(Duration.ofMinutes(1)).build();
    gate.openWallet(idle, ZoneOffset.UTC, T0);
    gate.openWallet(busy, ZoneOffset.UTC, T0);
    gate.reserve(busy, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("gen-1"), T0);

    int changed = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> gate.expireHolds(T0.plusSeconds(120)));

    assertEquals(1, changed, "only busy had a hold to expire");
    assertEquals(gate.status(busy, T0).available(), gate.status(busy, T0.plusSeconds(120)).available());
    assertEquals(2, store.lookups, "one batch with work, one that brought nothing new");
  }

  @Test
  void aWalletTheSweepCannotReadIsSkippedAndTheOthersAreSwept() {
    AccountId broken = AccountId.of("broken");
    AccountId busy = AccountId.of("busy");
    StaleIndexStore store = new StaleIndexStore(broken);
    CreditGate gate = CreditGate.builder(store).holdTimeToLive(Duration.ofMinutes(1)).build();
    gate.openWallet(broken, ZoneOffset.UTC, T0);
    gate.openWallet(busy, ZoneOffset.UTC, T0);
    gate.reserve(busy, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("gen-1"), T0);
    store.unreadable = Set.of(broken);   // its stored text is now one this release cannot read
    CreditGate sweeper = CreditGate.builder(store).build();

    assertEquals(1, sweeper.expireHolds(T0.plusSeconds(120)), "busy's hold expired despite the broken wallet first");
    assertEquals(List.of(), store.real.accountsWithHoldsExpiredBy(T0.plusSeconds(120), 10));
  }

  @Test
  void moreUnreadableWalletsThanABatchDoNotStarveTheOnesStillDue() {
    StaleIndexStore store = new StaleIndexStore(AccountId.of("nobody"));
    CreditGate gate = CreditGate.builder(store).holdTimeToLive(Duration.ofMinutes(1)).build();
    Set<AccountId> broken = new HashSet<>();
    for (int i = 0; i < 150; i++) {
      AccountId account = AccountId.of(String.format("broken-%03d", i));
      gate.openWallet(account, ZoneOffset.UTC, T0);
      gate.reserve(account, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("gen"), T0);
      broken.add(account);
    }
    AccountId healthy = AccountId.of("healthy");
    gate.openWallet(healthy, ZoneOffset.UTC, T0);
    gate.reserve(healthy, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("gen"), T0.plusSeconds(10));
    store.unreadable = broken;   // due first, and never sweepable
    CreditGate sweeper = CreditGate.builder(store).build();

    assertEquals(1, sweeper.expireHolds(T0.plusSeconds(120)), "the healthy wallet's hold expired");
    assertFalse(store.real.accountsWithHoldsExpiredBy(T0.plusSeconds(120), 1_000).contains(healthy),
        "the healthy wallet left the index: its hold was expired in the store, not only in a view");
  }
}
