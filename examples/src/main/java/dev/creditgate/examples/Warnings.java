package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The warnings people asked for, besides the percentages: under 5 credits, nothing left, and three
 * days before a promotion expires. Each is published once per crossing, by the commit that crossed
 * it, never for a denied call.
 */
public final class Warnings {
  public static void main(String[] args) {
    Instant signUp = Instant.parse("2026-03-02T08:00:00Z");
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create())
        .warnBelow(Credits.of(5))
        .warnWhenDepleted(true)
        .warnBeforeExpiry(Duration.ofDays(3))
        .eventSink((id, event) -> {
          if (event instanceof WalletEvent.ThresholdCrossed e) {
            System.out.println(e.at() + " warning: at or under " + e.percent() + "%, " + e.available() + " available");
          } else if (event instanceof WalletEvent.BalanceBelow e) {
            System.out.println(e.at() + " warning: under " + e.threshold() + " credits, " + e.available() + " available");
          } else if (event instanceof WalletEvent.CreditsDepleted e) {
            System.out.println(e.at() + " warning: nothing left (" + e.available() + ")");
          } else if (event instanceof WalletEvent.PromotionExpiring e) {
            System.out.println(e.at() + " warning: " + e.credits() + " credits of " + e.grant() + " expire at "
                + e.expiresAt());
          }
        }).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZoneOffset.UTC, signUp);                                        // Free: 30 credits
    Instant inAWeek = signUp.plus(Duration.ofDays(7));
    gate.grantPromotion(maya, Credits.of(10), inAWeek, "welcome bonus", IdempotencyKey.of("welcome:maya"), signUp);

    gate.charge(maya, Operation.GENERATE_IMAGE, 10, IdempotencyKey.of("img-1"), signUp.plusSeconds(60)); // 40 -> 20
    // Five days later, within three days of the bonus's expiry: the next commit warns of it.
    gate.charge(maya, Operation.GENERATE_IMAGE, 8, IdempotencyKey.of("img-2"), signUp.plus(Duration.ofDays(5))); // 4
    System.out.println("a denied call warns of nothing: "
        + gate.charge(maya, Operation.GENERATE_IMAGE, 5, IdempotencyKey.of("img-3"), signUp.plus(Duration.ofDays(5)))
            .isAllowed());
    gate.charge(maya, Operation.GENERATE_IMAGE, 2, IdempotencyKey.of("img-4"), signUp.plus(Duration.ofDays(5))); // 0
  }
}
