package dev.creditgate.testkit;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.Promotion;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * A mutating call of the gate, as data: what {@link GateModel} predicts and {@link InFlightWork}
 * makes against a real gate. Two calls are equal exactly when the gate must treat them as the same
 * request, so a key recorded with one {@linkplain GateModel#expect replays} for an equal call and
 * conflicts for another. Keys, holds, payments and charges are named by their idempotency key's
 * value. Immutable.
 */
public sealed interface GateCall {

  /** The id of the operation charged 0.1 plus 0.1 per 1,000 tokens. */
  String AI_CHAT_MESSAGE = "ai-chat-message";
  /** The id of the operation charged 0.05 plus 0.05 per 1,000 tokens. */
  String PLAN_MODE_MESSAGE = "plan-mode-message";
  /** The id of the operation charged 2 credits per image. */
  String GENERATE_IMAGE = "generate-image";
  /** The id of the operation charged 5 credits per integration. */
  String CONNECT_INTEGRATION = "connect-integration";

  /**
   * Makes the call on {@code gate} for {@code account}.
   *
   * @param gate the gate
   * @param account the wallet's account
   * @param key the call's idempotency key
   * @param at the call's time
   * @return the gate's result (a {@code Decision}, {@code HoldSettlement}, {@code TopUp},
   *     {@code PlanChange} or {@code BalanceChange})
   * @throws dev.creditgate.CreditGateException whatever the gate throws
   */
  Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at);

  /**
   * {@code charge(operation, quantity)}.
   *
   * @param operation the operation's id
   * @param quantity units of a fixed-price operation, or metered units such as tokens
   */
  record Charge(String operation, long quantity) implements GateCall {

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.charge(account, Operation.of(operation), quantity, key, at);
    }
  }

  /**
   * {@code reserve(operation, quantity)}: the call's key becomes the hold's id.
   *
   * @param operation the operation's id
   * @param quantity the quantity the work is expected to use
   */
  record Reserve(String operation, long quantity) implements GateCall {

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.reserve(account, Operation.of(operation), quantity, key, at);
    }
  }

  /**
   * {@code capture(hold, quantity, outcome)}.
   *
   * @param hold the hold's id: its reserve key
   * @param quantity the actual quantity the work used
   * @param outcome how the work ended
   * @param retryOf for a retry, the key of the earlier attempt; else {@code ""}
   */
  record Capture(String hold, long quantity, Outcome.Kind outcome, String retryOf) implements GateCall {

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.capture(account, IdempotencyKey.of(hold), quantity, new Outcome(outcome, retryOf), key, at);
    }
  }

  /**
   * {@code release(hold)}.
   *
   * @param hold the hold's id: its reserve key
   */
  record Release(String hold) implements GateCall {

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.release(account, IdempotencyKey.of(hold), key, at);
    }
  }

  /**
   * {@code topUp(pack)}: the call's key is the payment id, and names the grant {@code "pack:<key>"}.
   *
   * @param pack the pack's id
   */
  record TopUp(String pack) implements GateCall {

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.topUp(account, pack, key, at);
    }
  }

  /**
   * {@code topUpCustom(price)}; the key names the grant as for a pack.
   *
   * @param cents the price in US cents
   */
  record CustomTopUp(long cents) implements GateCall {
    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.topUpCustom(account, Money.usd(BigDecimal.valueOf(cents, 2).toPlainString()), key, at);
    }
  }

  /**
   * {@code changePlan(plan)}.
   *
   * @param plan the id of the plan to change to
   */
  record ChangePlan(String plan) implements GateCall {

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.changePlan(account, plan, key, at);
    }
  }

  /**
   * {@code refundPack(payment, credits)}: takes credits back from the pack bought with that payment.
   *
   * @param payment the payment id the pack was bought with
   * @param thousandths the credits to take back, in thousandths
   */
  record RefundPack(String payment, long thousandths) implements GateCall {

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.refundPack(account, IdempotencyKey.of(payment), Credits.ofThousandths(thousandths), key, at);
    }
  }

  /**
   * {@code reversePack(payment)}: reverses the pack bought with that payment whole.
   *
   * @param payment the payment id the pack was bought with
   */
  record ReversePack(String payment) implements GateCall {

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.reversePack(account, IdempotencyKey.of(payment), key, at);
    }
  }

  /**
   * {@code refundCharge(charge, credits)}: gives back credits a charge or capture took.
   *
   * @param charge the key of the charge or capture
   * @param thousandths the credits to give back, in thousandths
   */
  record RefundCharge(String charge, long thousandths) implements GateCall {

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.refundCharge(account, IdempotencyKey.of(charge), Credits.ofThousandths(thousandths), key, at);
    }
  }

  /**
   * {@code grantPromotion(promotion)}: the key names the grant {@code "promo:<key>"}.
   *
   * @param thousandths the credits granted, in thousandths
   * @param expiresAt when what is left of them expires
   * @param scope the one operation they may pay for, or {@code ""} for every operation
   * @param priority their place among promotions in the spend order, 0 (first) to 100 (last)
   */
  record GrantPromotion(long thousandths, Instant expiresAt, String scope, int priority) implements GateCall {
    /** The reason every promotion of a chain is granted for. */
    public static final String REASON = "chain promotion";

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      Promotion promotion = Promotion.of(Credits.ofThousandths(thousandths), expiresAt, REASON).withPriority(priority);
      return gate.grantPromotion(account, scope.isEmpty() ? promotion : promotion.scopedTo(Operation.of(scope)), key,
          at);
    }
  }

  /**
   * {@code setAutoTopUp}: one of the chains' two rules, or off. Both buy the Small pack at 25
   * credits or less, switch off after 2 declines in a row and wait an hour after a decline.
   *
   * @param rule {@code "AMOUNT"} (at most 3 requests and $15 a period), {@code "COUNT"} (at most 1
   *     request and $50 a period) or {@code "OFF"}
   */
  record SetAutoTopUp(String rule) implements GateCall {
    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      ModelAutoTopUp.Choice choice = ModelAutoTopUp.Choice.valueOf(rule);
      Optional<dev.creditgate.model.AutoTopUp> set = choice == ModelAutoTopUp.Choice.OFF ? Optional.empty()
          : Optional.of(dev.creditgate.model.AutoTopUp.withPack(ModelAutoTopUp.PACK,
              Credits.ofThousandths(ModelAutoTopUp.THRESHOLD), Money.usd(BigDecimal.valueOf(choice.cents, 2)
                  .toPlainString()), choice.count).withDeclineLimit(ModelAutoTopUp.DECLINE_LIMIT)
              .withBackoff(ModelAutoTopUp.BACKOFF));
      return gate.setAutoTopUp(account, set, key, at);
    }
  }

  /**
   * {@code declineAutoTopUp(request)}, for the reason {@value #DECLINED}.
   *
   * @param request the request's id
   */
  record DeclineAutoTopUp(String request) implements GateCall {
    /** The reason every decline of a chain gives. */
    public static final String DECLINED = "card_declined";

    @Override
    public Object invoke(CreditGate gate, AccountId account, IdempotencyKey key, Instant at) {
      return gate.declineAutoTopUp(account, request, DECLINED, key, at);
    }
  }
}
