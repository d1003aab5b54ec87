package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Promotion;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

/**
 * Promotional grants: a welcome bonus that expires on its own date, and referral credits that only
 * pay for images, spent first by their priority. A chat message never touches the image credits,
 * and its denial counts only what a chat message may spend; the welcome bonus's unused credits
 * expire at their time, with an {@code EXPIRY} entry and an event.
 */
public final class Promotions {
  public static void main(String[] args) {
    Instant signUp = Instant.parse("2026-03-02T08:00:00Z");
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create())
        .eventSink((id, event) -> {
          if (event instanceof WalletEvent.PromotionExpired e) {
            System.out.println("event: " + e.credits() + " credits of " + e.grant() + " expired at " + e.at());
          }
        }).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZoneOffset.UTC, signUp);                               // Free: 30 credits

    Instant inTwoWeeks = signUp.plus(Duration.ofDays(14));
    gate.grantPromotion(maya, Credits.of(20), inTwoWeeks, "welcome bonus", IdempotencyKey.of("welcome:maya"), signUp);
    gate.grantPromotion(maya, Promotion.of(Credits.of(10), signUp.plus(Duration.ofDays(30)), "referral by bob")
        .scopedTo(Operation.GENERATE_IMAGE).withPriority(0), IdempotencyKey.of("referral:bob:maya"), signUp);
    WalletStatus status = gate.status(maya, signUp);
    System.out.println("available " + status.available() + " (subscription " + status.subscription()
        + ", promotions " + status.promotionCredits() + ")");
    for (WalletStatus.PromotionLot lot : status.promotions()) {
      System.out.println("  " + lot.grant() + ": " + lot.remaining() + " until " + lot.expiresAt()
          + (lot.scope().isEmpty() ? "" : " for " + lot.scope()) + ", priority " + lot.priority());
    }

    // Three images (6 credits): the subscription first, as always.
    gate.charge(maya, Operation.GENERATE_IMAGE, 3, IdempotencyKey.of("img-1"), signUp.plusSeconds(60));
    // Three 100k-token features (30.3 credits): 24 subscription, then the welcome bonus; never the image credits.
    for (int i = 0; i < 3; i++) {
      gate.charge(maya, Operation.AI_CHAT_MESSAGE, 100_000, IdempotencyKey.of("feature-" + i),
          signUp.plusSeconds(120 + i));
    }
    Decision next = gate.check(maya, Operation.AI_CHAT_MESSAGE, 250_000, signUp.plusSeconds(180));
    if (next instanceof Decision.Denied denied) {
      System.out.println("a 250k-token feature (" + denied.cost() + "): denied, " + denied.balanceBefore()
          + " available to chat, short by " + denied.shortfall() + " (the 10 image credits do not count)");
    }

    // Two weeks later the welcome bonus expires; the next call records it, dated at its expiry.
    gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-2"), inTwoWeeks.plusSeconds(3_600));
    try (Stream<LedgerEntry> ledger = gate.ledger(maya, signUp, inTwoWeeks.plus(Duration.ofDays(1)))) {
      ledger.filter(e -> e.grant().startsWith("promo:")).forEach(e -> System.out.println("  ledger: " + e.at() + " "
          + e.kind() + " " + e.grant() + " " + e.amount()));
    }
    System.out.println("available " + gate.status(maya, inTwoWeeks.plusSeconds(3_600)).available()
        + "; replay consistent: " + gate.replay(maya).isConsistent());
  }
}
