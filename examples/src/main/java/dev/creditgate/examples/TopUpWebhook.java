package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.TopUp;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Granting a pack from a payment provider's webhook. creditgate takes no payments: the host calls
 * it once the provider confirms, with the payment's id as the idempotency key, so a webhook that
 * arrives twice grants once.
 */
public final class TopUpWebhook {
  private final CreditGate gate;

  TopUpWebhook(CreditGate gate) {
    this.gate = gate;
  }

  /** Called by the web layer for each "payment succeeded" event. */
  TopUp onPaymentSucceeded(String accountId, String paymentId, String packId, Instant at) {
    return gate.topUp(AccountId.of(accountId), packId, IdempotencyKey.of(paymentId), at);
  }

  /** A Custom pack: the customer picked the amount. */
  TopUp onCustomPaymentSucceeded(String accountId, String paymentId, String amountUsd, Instant at) {
    return gate.topUpCustom(AccountId.of(accountId), Money.usd(amountUsd), IdempotencyKey.of(paymentId), at);
  }

  public static void main(String[] args) {
    CreditGate gate = CreditGate.inMemory();
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    gate.openWallet(AccountId.of("acct-42"), ZoneOffset.UTC, now);
    TopUpWebhook webhook = new TopUpWebhook(gate);

    TopUp first = webhook.onPaymentSucceeded("acct-42", "pi_3PqY", "medium", now);
    TopUp retried = webhook.onPaymentSucceeded("acct-42", "pi_3PqY", "medium", now.plusSeconds(30));
    TopUp custom = webhook.onCustomPaymentSucceeded("acct-42", "pi_9ZzA", "12.50", now);
    System.out.println("granted " + first.credits() + " once; the retry returned the same top-up: "
        + first.equals(retried));
    System.out.println("custom $12.50 bought " + custom.credits() + " credits; balance "
        + custom.balanceAfter());
  }
}
