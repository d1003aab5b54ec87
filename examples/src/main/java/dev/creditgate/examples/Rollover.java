package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Plan;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

/**
 * Rollover: a catalog whose Pro plan rolls up to 25% of its allowance into the next period. The
 * rolled-over credits are a grant of their own that expires at the end of that period, with an
 * expiry warning a few days before.
 */
public final class Rollover {
  public static void main(String[] args) {
    Catalog defaults = Catalog.defaults();
    Plan pro = defaults.plan("pro").withRollover(dev.creditgate.model.Rollover.upToPercent(25));
    Catalog.Builder catalog = Catalog.builder().plan(defaults.plan("free")).plan(pro).plan(defaults.plan("team"));
    defaults.packs().forEach(catalog::pack);

    Instant start = Instant.parse("2026-04-01T00:00:00Z");
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).catalog(catalog.build())
        .warnBeforeExpiry(Duration.ofDays(3))
        .eventSink((id, event) -> {
          if (event instanceof WalletEvent.PromotionExpiring e) {
            System.out.println("warning: " + e.credits() + " credits of " + e.grant() + " expire at " + e.expiresAt());
          }
        }).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZoneOffset.UTC, start);
    gate.changePlan(maya, "pro", IdempotencyKey.of("up"), start);                  // 150 credits a month
    gate.charge(maya, Operation.CONNECT_INTEGRATION, 20, IdempotencyKey.of("i-1"), start.plusSeconds(60)); // 100

    // At the renewal 50 are unused: 37.5 (25% of 150) roll over, until the next renewal.
    Instant may = Instant.parse("2026-05-01T00:00:00Z");
    WalletStatus status = gate.status(maya, may);
    System.out.println("May: subscription " + status.subscription() + ", rolled over " + status.promotionCredits()
        + " (" + status.promotions().get(0).grant() + " until " + status.promotions().get(0).expiresAt() + ")");
    // The new allowance is spent first; both expire at the same renewal.
    gate.charge(maya, Operation.CONNECT_INTEGRATION, 2, IdempotencyKey.of("i-2"), may.plusSeconds(60));
    gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), Instant.parse("2026-05-29T00:00:00Z"));
    try (Stream<LedgerEntry> ledger = gate.ledger(maya, may, Instant.parse("2026-05-02T00:00:00Z"))) {
      ledger.forEach(e -> System.out.println("  ledger: " + e.at() + " " + e.kind() + " " + e.grant() + " "
          + e.amount()));
    }
    System.out.println("June: rolled over " + gate.status(maya, Instant.parse("2026-06-01T00:00:00Z"))
        .promotionCredits() + "; replay consistent: " + gate.replay(maya).isConsistent());
  }
}
