package dev.creditgate.benchmarks;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared set-up: gates over an in-memory store whose retention keeps a long run's memory bounded. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  /** Far enough from T0 that no renewal happens in a run, close enough that every check is "now". */
  static final Instant NOW = T0.plusSeconds(3600);

  private Fixtures() {}

  /**
   * The time of the {@code n}-th call of a run: a millisecond apart, so that a minute of
   * idempotency records is the last 60,000 calls and a run reaches its steady state.
   */
  static Instant at(long n) {
    return NOW.plusMillis(n);
  }

  static InMemoryWalletStore boundedStore() {
    return InMemoryWalletStore.builder()
        .ledgerEntriesPerAccount(100_000)
        .idempotencyRecordsFor(java.time.Duration.ofMinutes(1))
        .clock(CALLS)
        .build();
  }

  /**
   * The store's clock in a run: the time of the latest call, so that its one-minute key retention
   * keeps the last 60,000 calls, as it would for a service making one call a millisecond.
   */
  static final java.time.Clock CALLS = new java.time.Clock() {
    @Override
    public Instant instant() {
      return at(latest);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  };

  /** The highest call number handed out; racy by design, a clock that is a little late is fine. */
  private static volatile long latest;

  static CreditGate gate(InMemoryWalletStore store) {
    return CreditGate.builder(store).build();
  }

  /** Fails the run if a charge was denied: a denial is a cheaper path and must not pass for a charge. */
  static dev.creditgate.Decision allowed(dev.creditgate.Decision decision) {
    if (!decision.isAllowed()) {
      throw new IllegalStateException("the benchmark's charge was denied: " + decision);
    }
    return decision;
  }

  /** The {@code n}-th charge of a run: a 2,000-token chat message under a fresh key, which must be allowed. */
  static dev.creditgate.Decision charge(CreditGate gate, AccountId account, long n) {
    if (n > latest) {
      latest = n;
    }
    return allowed(gate.charge(account, dev.creditgate.model.Operation.AI_CHAT_MESSAGE, 2_000,
        IdempotencyKey.of("c" + n), at(n)));
  }

  /** The {@code n}-th charge of a run made by {@code member} of a team wallet, like {@link #charge}. */
  static dev.creditgate.Decision chargeAs(CreditGate gate, AccountId account, AccountId member, long n) {
    if (n > latest) {
      latest = n;
    }
    return allowed(gate.charge(account, member, dev.creditgate.model.Operation.AI_CHAT_MESSAGE, 2_000,
        IdempotencyKey.of("c" + n), at(n)));
  }

  /** Opens a wallet with enough credits for any run: one large adjustment on top of the Free plan. */
  static void openRich(CreditGate gate, AccountId account) {
    gate.openWallet(account, ZoneOffset.UTC, T0);
    gate.adjust(account, Credits.of(1_000_000_000L), "benchmark", IdempotencyKey.of("rich"), T0);
  }
}
