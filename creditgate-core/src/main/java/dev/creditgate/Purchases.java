package dev.creditgate;

import static dev.creditgate.Arguments.require;
import static dev.creditgate.Arguments.requireTime;

import dev.creditgate.MutationRunner.Step;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Credits;
import dev.creditgate.model.CustomPackTerms;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.model.Promotion;
import dev.creditgate.spi.IdempotencyRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What changes a wallet's credits besides spending: top-ups, plan changes, refunds, adjustments,
 * promotional grants and their revocation.
 */
final class Purchases {
  /** What a promotional grant's ledger name starts with, before the granting call's key. */
  static final String PROMOTION = "promo:";
  private final MutationRunner runner;
  private final WalletRules rules;

  Purchases(MutationRunner runner) {
    this.runner = runner;
    this.rules = runner.rules();
  }

  /** What a top-up grants and what it cost. */
  private record Priced(Credits credits, Money price) {}

  TopUp topUp(AccountId account, String packId, IdempotencyKey paymentId, Instant at) {
    require(packId, "pack id");
    Supplier<Priced> catalog = () -> {
      Pack pack = rules.catalog().pack(packId);
      return new Priced(pack.credits(), pack.price());
    };
    return grantPack(account, packId, null, catalog, paymentId, at, new Request.TopUpPack(packId));
  }

  TopUp topUpCustom(AccountId account, Money price, IdempotencyKey paymentId, Instant at) {
    require(price, "price");
    Supplier<Priced> catalog = () -> new Priced(rules.catalog().customPacks()
        .orElseThrow(() -> new InvalidRequestException("the catalog sells no custom packs"))
        .creditsFor(price), price);
    return grantPack(account, "custom", price, catalog, paymentId, at, new Request.TopUpCustom(price));
  }

  /**
   * Grants {@code packId} ({@code customPrice} for a Custom pack, else null). The top-up that
   * confirms the open auto top-up request (its id, its pack and, for a Custom pack, its price)
   * grants the credits at the price the request recorded, whatever the catalog sells now (a
   * rolling deploy, a pack removed): the customer was charged that; any other top-up is priced
   * by the catalog, at once unless its payment id may be a request's.
   */
  private TopUp grantPack(AccountId account, String packId, Money customPrice, Supplier<Priced> catalog,
      IdempotencyKey paymentId, Instant at, Request request) {
    Priced sold = paymentId != null && paymentId.value().startsWith(AutoTopUpState.ID_PREFIX) ? null : catalog.get();
    require(account, "account");
    require(paymentId, "payment id");
    requireTime(at, "at");
    String grant = "pack:" + paymentId.value();
    return runner.mutate(account, paymentId, request, at, Receipts.TOP_UP, wallet -> {
      AutoTopUpStatus.OpenRequest open = wallet.autoTopUp() == null ? null : wallet.autoTopUp().open();
      Priced priced = sold != null ? sold
          : open != null && open.id().equals(paymentId.value()) && open.pack().equals(packId)
              && (customPrice == null || open.price().equals(customPrice))
              ? new Priced(open.credits(), open.price()) : catalog.get();
      Credits credits = priced.credits();
      Money price = priced.price();
      Transition t = wallet.topUp(grant, packId, credits, price, paymentId.value(), at, rules);
      return Step.commit(new TopUp(grant, packId, credits, t.wallet().available(), t.wallet().meter(rules)), t);
    });
  }

  PlanChange changePlan(AccountId account, String planId, IdempotencyKey key, Instant at) {
    Plan target = rules.catalog().plan(planId);
    require(account, "account");
    require(key, "key");
    requireTime(at, "at");
    return runner.mutate(account, key, new Request.ChangePlan(target.id()), at, Receipts.PLAN_CHANGE, wallet -> {
      Transition t = wallet.changePlan(target, key.value(), at, rules);
      Wallet after = t.wallet();
      boolean immediate = after.planId().equals(target.id()) && !wallet.planId().equals(target.id());
      Instant effective = immediate ? at : wallet.nextRenewal();
      return Step.commit(new PlanChange(wallet.planId(), target.id(), immediate, effective, after.available(),
          wallet.membersBeyondSeats(target)), t);
    });
  }

  BalanceChange refundPack(AccountId account, IdempotencyKey paymentId, Credits credits, IdempotencyKey key,
      Instant at) {
    require(account, "account");
    require(paymentId, "payment id");
    require(credits, "credits");
    require(key, "key");
    requireTime(at, "at");
    String grant = "pack:" + paymentId.value();
    Request request = new Request.RefundPack(paymentId, credits);
    return runner.mutate(account, key, request, at, Receipts.BALANCE_CHANGE, wallet -> {
      Transition t = Refunds.refundPack(wallet, grant, credits, key.value(), at);
      return Step.commit(new BalanceChange(grant, credits.negate(), t.wallet().available(),
          t.wallet().meter(rules)), t);
    });
  }

  BalanceChange reversePack(AccountId account, IdempotencyKey paymentId, IdempotencyKey key, Instant at) {
    require(account, "account");
    require(paymentId, "payment id");
    require(key, "key");
    requireTime(at, "at");
    String grant = "pack:" + paymentId.value();
    // The top-up's record tells what a pack spent out (its grant gone from the wallet) had granted;
    // it is read first, and only needed then.
    Optional<IdempotencyRecord> topUp = runner.read(account, () -> runner.store().findRecord(account, paymentId));
    Optional<Credits> bought = topUp.filter(r -> {
      Class<? extends Request> type = RequestCodec.typeOf(r.request()).orElse(null);
      return type == Request.TopUpPack.class || type == Request.TopUpCustom.class;
    }).map(r -> Receipts.TOP_UP.resultOf(r).credits());
    return runner.mutate(account, key, new Request.ReversePack(paymentId), at, Receipts.BALANCE_CHANGE, wallet -> {
      Transition t = Refunds.reversePack(wallet, grant, paymentId.value(), bought, key.value(), at, rules);
      Credits taken = t.wallet().refunded().reversed().get(grant);
      return Step.commit(new BalanceChange(grant, taken.negate(), t.wallet().available(), t.wallet().meter(rules)), t);
    });
  }

  BalanceChange refundCharge(AccountId account, IdempotencyKey chargeKey, Credits credits, IdempotencyKey key,
      Instant at) {
    require(account, "account");
    require(chargeKey, "charge key");
    require(credits, "credits");
    require(key, "key");
    requireTime(at, "at");
    // The charge's record is read first but only needed for a first refund: a repeated refund is
    // answered from its own record inside mutate, even once the charge's record has aged out.
    Optional<IdempotencyRecord> charge = runner.read(account, () -> runner.store().findRecord(account, chargeKey));
    Request request = new Request.RefundCharge(chargeKey, credits);
    return runner.mutate(account, key, request, at, Receipts.BALANCE_CHANGE, wallet -> {
      Decision.Allowed charged = chargedBy(chargeKey, charge);
      Transition t = Refunds.refundCharge(wallet, chargeKey.value(), charged.cost(), charged.operation(), credits,
          key.value(), at, rules);
      return Step.commit(new BalanceChange("refund:" + key.value(), credits, t.wallet().available(),
          t.wallet().meter(rules)), t);
    });
  }

  /** What the charge or capture recorded under {@code chargeKey} took, as an allowed decision. */
  private static Decision.Allowed chargedBy(IdempotencyKey chargeKey, Optional<IdempotencyRecord> found) {
    IdempotencyRecord charge = found.orElseThrow(() ->
        new InvalidRequestException("no charge or capture was recorded with key '" + chargeKey + "'"));
    Class<? extends Request> asked = RequestCodec.typeOf(charge.request()).orElse(null);
    if (asked == Request.Charge.class) {
      return (Decision.Allowed) Receipts.DECISION.resultOf(charge);
    }
    if (asked == Request.Capture.class) {
      HoldSettlement s = Receipts.SETTLEMENT.resultOf(charge);
      return new Decision.Allowed(s.operation(), 0, s.charged(), s.balanceAfter(), s.balanceAfter(), s.meter());
    }
    throw new InvalidRequestException("key '" + chargeKey + "' was used for ["
        + RequestCodec.describe(charge.request()) + "], not for a charge or a capture");
  }

  BalanceChange adjust(AccountId account, Credits delta, String reason, IdempotencyKey key, Instant at) {
    require(account, "account");
    require(delta, "delta");
    Arguments.requireText(reason, "reason", 200);
    require(key, "key");
    requireTime(at, "at");
    Request request = new Request.Adjust(delta, reason);
    return runner.mutate(account, key, request, at, Receipts.BALANCE_CHANGE, wallet -> {
      Transition t = Refunds.adjust(wallet, delta, reason, key.value(), at, rules);
      String grant = delta.isPositive() ? "adjustment:" + key.value() : "";
      return Step.commit(new BalanceChange(grant, delta, t.wallet().available(), t.wallet().meter(rules)), t);
    });
  }

  BalanceChange grantPromotion(AccountId account, Promotion promotion, IdempotencyKey key, Instant at) {
    require(account, "account");
    require(promotion, "promotion");
    require(key, "key");
    requireTime(at, "at");
    String grant = PROMOTION + key.value();
    return runner.mutate(account, key, new Request.GrantPromotion(promotion), at, Receipts.BALANCE_CHANGE, wallet -> {
      Transition t = wallet.grantPromotion(grant, promotion, key.value(), at, rules);
      return Step.commit(new BalanceChange(grant, promotion.credits(), t.wallet().available(),
          t.wallet().meter(rules)), t);
    });
  }

  BalanceChange revokePromotion(AccountId account, IdempotencyKey promotionKey, Credits credits, IdempotencyKey key,
      Instant at) {
    require(account, "account");
    require(promotionKey, "promotion key");
    require(credits, "credits");
    require(key, "key");
    requireTime(at, "at");
    String grant = PROMOTION + promotionKey.value();
    Request request = new Request.RevokePromotion(promotionKey, credits);
    return runner.mutate(account, key, request, at, Receipts.BALANCE_CHANGE, wallet -> {
      Transition t = Refunds.revokePromotion(wallet, grant, credits, key.value(), at);
      return Step.commit(new BalanceChange(grant, credits.negate(), t.wallet().available(),
          t.wallet().meter(rules)), t);
    });
  }

  AutoTopUpStatus setAutoTopUp(AccountId account, Optional<AutoTopUp> rule, IdempotencyKey key, Instant at) {
    require(account, "account");
    require(rule, "rule");
    require(key, "key");
    requireTime(at, "at");
    rule.ifPresent(this::requireSellable);
    return runner.mutate(account, key, new Request.SetAutoTopUp(rule), at, Receipts.AUTO_TOP_UP, wallet -> {
      Transition t = wallet.setAutoTopUp(rule, key.value(), at, rules);
      return Step.commit(statusOf(t.wallet()), t);
    });
  }

  AutoTopUpStatus declineAutoTopUp(AccountId account, String requestId, String reason, IdempotencyKey key,
      Instant at) {
    require(account, "account");
    Arguments.requireText(requestId, "requestId", IdempotencyKey.MAX_LENGTH);
    Arguments.requireText(reason, "reason", 200);
    require(key, "key");
    requireTime(at, "at");
    Request request = new Request.DeclineAutoTopUp(requestId, reason);
    return runner.mutate(account, key, request, at, Receipts.AUTO_TOP_UP, wallet -> {
      Transition t = wallet.declineAutoTopUp(requestId, reason, key.value(), at);
      return Step.commit(statusOf(t.wallet()), t);
    });
  }

  /** The wallet's auto top-up status; a wallet that never set a rule answers one that is off. */
  private static AutoTopUpStatus statusOf(Wallet w) {
    return w.autoTopUpStatus().orElse(new AutoTopUpStatus(Optional.empty(), Optional.empty(), 0, Optional.empty(), 0,
        Optional.empty(), Optional.empty(), Optional.empty(), false));
  }

  /**
   * Checks that the catalog sells what {@code rule} buys, in the currency of its limit.
   *
   * @throws UnknownCatalogItemException if its pack is not in the catalog
   * @throws InvalidRequestException if the catalog sells no custom packs for a target balance, or
   *     in another currency than the limit's; if the limit is below one request's price (the pack's,
   *     or the cheapest Custom pack's); if one Custom pack cannot restore the target balance from
   *     the threshold
   */
  private void requireSellable(AutoTopUp rule) {
    Money price;
    if (rule.pack().isPresent()) {
      price = rules.catalog().pack(rule.pack().get()).price();
    } else {
      price = rules.catalog().customPacks().orElseThrow(() -> new InvalidRequestException("targetBalance",
          rule.targetBalance().get().toString(), "a target balance is restored with a Custom pack, and the catalog"
              + " sells none")).minPrice();
    }
    if (!price.currency().equals(rule.monthlyLimit().currency())) {
      throw new InvalidRequestException("monthlyLimit", rule.monthlyLimit().toString(), "the auto top-up's monthly"
          + " limit must be in " + price.currency() + ", the currency of what it buys, but was "
          + rule.monthlyLimit());
    }
    if (rule.monthlyLimit().compareTo(price) < 0) {
      throw new InvalidRequestException("monthlyLimit", rule.monthlyLimit().toString(), "the auto top-up's monthly"
          + " limit must cover at least one request, " + price + (rule.pack().isPresent() ? "" : " (the cheapest"
          + " Custom pack)") + ", but was " + rule.monthlyLimit());
    }
    if (rule.targetBalance().isPresent()) {
      CustomPackTerms terms = rules.catalog().customPacks().get();
      Credits most = terms.creditsFor(terms.maxPrice());
      Credits target = rule.targetBalance().get();
      if (Math.subtractExact(target.thousandths(), rule.threshold().thousandths()) > most.thousandths()) {
        throw new InvalidRequestException("targetBalance", target.toString(), "the auto top-up's target balance"
            + " must be restorable from the threshold " + rule.threshold() + " by one Custom pack (at most " + most
            + " credits) but was " + target);
      }
    }
  }
}
