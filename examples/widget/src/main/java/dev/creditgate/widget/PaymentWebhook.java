package dev.creditgate.widget;

import static dev.creditgate.widget.CreditController.required;

import dev.creditgate.CreditGate;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.TopUp;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The payment provider's webhook: a confirmed payment for a pack ({@code small}, {@code medium},
 * {@code large}) or a custom price tops the account up, with the payment's id as the idempotency
 * key, so a webhook delivered twice grants once. (A real provider signs its webhooks; check the
 * signature before this.)
 */
@RestController
class PaymentWebhook {
  private final CreditGate gate;

  PaymentWebhook(CreditGate gate) {
    this.gate = gate;
  }

  /**
   * A confirmed payment: its id, the account it is for, and either the pack bought or the custom
   * price paid ({@code {"amount":"12.50","currency":"USD"}}).
   */
  record Payment(String paymentId, String account, String pack, Money customPrice) {}

  @PostMapping("/api/webhooks/payments")
  TopUp paymentConfirmed(@RequestBody Payment payment) {
    IdempotencyKey paymentId = IdempotencyKey.of(required("paymentId", payment.paymentId()));
    AccountId account = AccountId.of(required("account", payment.account()));
    if ((payment.pack() == null) == (payment.customPrice() == null)) {
      throw new InvalidRequestException("pack", payment.pack(),
          "a payment names either a pack or a customPrice, not " + (payment.pack() == null ? "neither" : "both"));
    }
    return payment.pack() != null
        ? gate.topUp(account, payment.pack(), paymentId)
        : gate.topUpCustom(account, payment.customPrice(), paymentId);
  }
}
