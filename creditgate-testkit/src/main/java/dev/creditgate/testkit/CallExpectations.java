package dev.creditgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.creditgate.AutoTopUpStatus;
import dev.creditgate.BalanceChange;
import dev.creditgate.Decision;
import dev.creditgate.HoldSettlement;
import dev.creditgate.HoldStateException;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.PlanChange;
import dev.creditgate.TopUp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link GateModel} expects of each call, and the idempotency keys it keeps track of to say
 * so: each recorded key with the call it was first used for, what each charge or capture took and
 * how much of it was refunded. {@link #expect} validates the call as the gate does, answers a
 * recorded key from its record, and otherwise applies the call to the wallet's
 * {@link ModelBalances} and {@link ModelPeriod}, returning the check of the gate's result. Mutable,
 * not thread-safe.
 */
final class CallExpectations {
  private final Duration holdTimeToLive;
  private final ModelBalances wallet;
  private final ModelPeriod billing;
  final Map<String, GateCall> recorded = new LinkedHashMap<>();
  final Map<String, Long> charged = new LinkedHashMap<>();
  final Map<String, Long> refunded = new HashMap<>();
  ModelAutoTopUp autoTopUp = new ModelAutoTopUp();

  /** No key recorded yet; calls change {@code wallet} and {@code billing}. */
  CallExpectations(Duration holdTimeToLive, ModelBalances wallet, ModelPeriod billing) {
    this.holdTimeToLive = holdTimeToLive;
    this.wallet = wallet;
    this.billing = billing;
  }

  /** An independent copy of the keys' records, for the copies {@code wallet} and {@code billing}. */
  CallExpectations copy(ModelBalances wallet, ModelPeriod billing) {
    CallExpectations copy = new CallExpectations(holdTimeToLive, wallet, billing);
    copy.recorded.putAll(recorded);
    copy.charged.putAll(charged);
    copy.refunded.putAll(refunded);
    copy.autoTopUp = autoTopUp.copy();
    return copy;
  }

  /** See {@link GateModel#expect}. */
  Expectation expect(GateCall call, String key, Instant at) {
    // What the gate validates before it looks at the key.
    if (call instanceof GateCall.Charge c && Prices.cost(c.operation(), c.quantity()) < 0
        || call instanceof GateCall.Reserve r && Prices.cost(r.operation(), r.quantity()) < 0
        || call instanceof GateCall.CustomTopUp t && Prices.customPackCredits(t.cents()) < 0) {
      return new Expectation.Fails(InvalidRequestException.class);
    }
    if (call instanceof GateCall.RefundCharge r && !(recorded.get(r.charge()) instanceof GateCall.Charge
        || recorded.get(r.charge()) instanceof GateCall.Capture)) {
      return new Expectation.Fails(InvalidRequestException.class);
    }
    if (recorded.containsKey(key)) {
      return recorded.get(key).equals(call) ? new Expectation.Replay() : new Expectation.Conflict();
    }
    billing.rollForward(wallet, at);
    if (call instanceof GateCall.Charge c) {
      long cost = Prices.cost(c.operation(), c.quantity());
      long beforeHere = wallet.availableFor(c.operation());
      if (!wallet.affords(c.operation(), cost)) {
        return new Expectation.Denied(cost, beforeHere);
      }
      wallet.spend(c.operation(), cost);
      autoTopUp.afterSpend(wallet.common(), currentPeriodStart(), at);
      recorded.put(key, call);
      charged.put(key, cost);
      long after = wallet.availableFor(c.operation());
      return new Expectation.Done(result -> {
        Decision.Allowed d = assertInstanceOf(Decision.Allowed.class, result);
        assertEquals(List.of(c.operation(), c.quantity(), cost, beforeHere, after),
            List.of(d.operation().id(), d.quantity(), d.cost().thousandths(), d.balanceBefore().thousandths(),
                d.balanceAfter().thousandths()), "charge: op, quantity, cost, before, after");
      });
    }
    if (call instanceof GateCall.Reserve r) {
      long cost = Prices.cost(r.operation(), r.quantity());
      long common = wallet.common();
      if (!wallet.affordsHold(cost)) {
        return new Expectation.Denied(cost, common);
      }
      wallet.holds.put(key, new GateModel.Hold(r.operation(), cost, at.plus(holdTimeToLive)));
      recorded.put(key, call);
      long after = wallet.common();
      return new Expectation.Done(result -> {
        Decision.Allowed d = assertInstanceOf(Decision.Allowed.class, result);
        assertEquals(List.of(r.operation(), r.quantity(), cost, common, after),
            List.of(d.operation().id(), d.quantity(), d.cost().thousandths(), d.balanceBefore().thousandths(),
                d.balanceAfter().thousandths()), "reserve: op, quantity, cost, before, after");
      });
    }
    if (call instanceof GateCall.Capture c) {
      GateModel.Hold hold = wallet.holds.get(c.hold());
      if (hold == null) {
        return new Expectation.Fails(HoldStateException.class);
      }
      // zero units of a fixed cost: nothing produced, nothing metered (a charge would refuse them)
      long metered = c.quantity() == 0 && Prices.isFixedPrice(hold.operation()) ? 0
          : Prices.cost(hold.operation(), c.quantity());
      if (metered < 0) {
        return new Expectation.Fails(InvalidRequestException.class);
      }
      long due = Prices.policyCharge(c.outcome(), metered);
      long take = Math.min(due, hold.amount() + Math.max(0, wallet.availableFor(hold.operation())));
      wallet.holds.remove(c.hold());
      wallet.spend(hold.operation(), take);
      autoTopUp.afterSpend(wallet.common(), currentPeriodStart(), at);
      recorded.put(key, call);
      charged.put(key, take);
      long after = wallet.available();
      return new Expectation.Done(result -> {
        HoldSettlement s = assertInstanceOf(HoldSettlement.class, result);
        assertEquals(List.of(c.hold(), hold.operation(), c.outcome(), c.retryOf(), hold.amount(), metered, due, take,
                after),
            List.of(s.hold(), s.operation().id(), s.outcome().kind(), s.outcome().retryOf(), s.held().thousandths(),
                s.metered().thousandths(), s.due().thousandths(), s.charged().thousandths(),
                s.balanceAfter().thousandths()),
            "capture: hold, op, outcome, retryOf, held, metered, due, charged, available after");
      });
    }
    if (call instanceof GateCall.Release r) {
      GateModel.Hold hold = wallet.holds.remove(r.hold());
      if (hold == null) {
        return new Expectation.Fails(HoldStateException.class);
      }
      recorded.put(key, call);
      long after = wallet.available();
      return new Expectation.Done(result -> {
        HoldSettlement s = assertInstanceOf(HoldSettlement.class, result);
        assertNull(s.outcome());
        assertEquals(List.of(r.hold(), hold.amount(), 0L, after),
            List.of(s.hold(), s.held().thousandths(), s.charged().thousandths(), s.balanceAfter().thousandths()),
            "release: hold, held, charged, available after");
      });
    }
    if (call instanceof GateCall.TopUp || call instanceof GateCall.CustomTopUp) {
      String pack = call instanceof GateCall.TopUp t ? t.pack() : "custom";
      long credits = call instanceof GateCall.TopUp t ? Prices.packCredits(t.pack())
          : Prices.customPackCredits(((GateCall.CustomTopUp) call).cents());
      String grant = "pack:" + key;
      if (autoTopUp.openNumber != 0 && key.equals(autoTopUp.requestId(autoTopUp.openNumber))) {
        if (!ModelAutoTopUp.PACK.equals(pack)) {
          return new Expectation.Fails(InvalidRequestException.class); // it buys what the request asks
        }
        autoTopUp.confirm();
      }
      wallet.credit(grant, credits);
      wallet.packGranted.put(grant, credits);
      autoTopUp.afterGrant(wallet.common());
      recorded.put(key, call);
      long after = wallet.available();
      return new Expectation.Done(result -> {
        TopUp t = assertInstanceOf(TopUp.class, result);
        assertEquals(List.of(grant, pack, credits, after),
            List.of(t.grant(), t.pack(), t.credits().thousandths(), t.balanceAfter().thousandths()),
            "top-up: grant, pack, credits, available after");
      });
    }
    if (call instanceof GateCall.ChangePlan p) {
      String from = billing.plan();
      boolean immediate = billing.isUpgrade(p.plan());
      Instant effective = immediate ? at : billing.nextRenewal();
      if (immediate) { // upgrade: the new allowance replaces what is left; a new period starts
        billing.upgrade(p.plan(), at, wallet);
        autoTopUp.afterGrant(wallet.common());
      } else { // downgrade, or back to the current plan: from the next renewal
        billing.scheduleRenewalPlan(p.plan());
      }
      recorded.put(key, call);
      long after = wallet.available();
      return new Expectation.Done(result -> {
        PlanChange c = assertInstanceOf(PlanChange.class, result);
        assertEquals(List.of(from, p.plan(), immediate, effective, after),
            List.of(c.from(), c.to(), c.immediate(), c.effectiveAt(), c.balanceAfter().thousandths()),
            "plan change: from, to, immediate, effective, available after");
      });
    }
    if (call instanceof GateCall.RefundPack r) {
      String grant = "pack:" + r.payment();
      long remaining = wallet.packs.getOrDefault(grant, 0L);
      if (r.thousandths() <= 0 || r.thousandths() > remaining || r.thousandths() > wallet.common()) {
        return new Expectation.Fails(InvalidRequestException.class); // never the credits open holds reserve
      }
      wallet.takeBack(grant, r.thousandths());
      recorded.put(key, call);
      long after = wallet.available();
      return new Expectation.Done(result -> {
        BalanceChange c = assertInstanceOf(BalanceChange.class, result);
        assertEquals(List.of(grant, -r.thousandths(), after),
            List.of(c.grant(), c.amount().thousandths(), c.balanceAfter().thousandths()),
            "pack refund: grant, amount, available after");
      });
    }
    if (call instanceof GateCall.ReversePack r) {
      String grant = "pack:" + r.payment();
      GateCall bought = recorded.get(r.payment());
      if (!(bought instanceof GateCall.TopUp || bought instanceof GateCall.CustomTopUp)
          || wallet.reversedOwed.containsKey(grant)) {
        return new Expectation.Fails(InvalidRequestException.class); // unknown, or reversed already
      }
      long taken = wallet.reverse(grant);
      // A reversal raises the warnings as a spend does, but asks for no auto top-up: its customer
      // disputed a payment, and the card is not charged again on its own.
      recorded.put(key, call);
      long after = wallet.available();
      return new Expectation.Done(result -> {
        BalanceChange c = assertInstanceOf(BalanceChange.class, result);
        assertEquals(List.of(grant, -taken, after),
            List.of(c.grant(), c.amount().thousandths(), c.balanceAfter().thousandths()),
            "pack reversal: grant, amount, available after");
      });
    }
    if (call instanceof GateCall.RefundCharge r) {
      long left = charged.get(r.charge()) - refunded.getOrDefault(r.charge(), 0L);
      if (r.thousandths() <= 0 || r.thousandths() > left) {
        return new Expectation.Fails(InvalidRequestException.class);
      }
      String grant = "refund:" + key;
      wallet.credit(grant, r.thousandths());
      autoTopUp.afterGrant(wallet.common());
      refunded.merge(r.charge(), r.thousandths(), Long::sum);
      recorded.put(key, call);
      long after = wallet.available();
      return new Expectation.Done(result -> {
        BalanceChange c = assertInstanceOf(BalanceChange.class, result);
        assertEquals(List.of(grant, r.thousandths(), after),
            List.of(c.grant(), c.amount().thousandths(), c.balanceAfter().thousandths()),
            "charge refund: grant, amount, available after");
      });
    }
    if (call instanceof GateCall.GrantPromotion g) {
      if (!g.expiresAt().isAfter(at)) {
        return new Expectation.Fails(InvalidRequestException.class); // it must expire after it is granted
      }
      String grant = "promo:" + key;
      wallet.promos.put(grant, new GateModel.Promo(g.thousandths(), at, g.expiresAt(), g.scope(), g.priority()));
      autoTopUp.afterGrant(wallet.common());
      recorded.put(key, call);
      long after = wallet.available();
      return new Expectation.Done(result -> {
        BalanceChange c = assertInstanceOf(BalanceChange.class, result);
        assertEquals(List.of(grant, g.thousandths(), after),
            List.of(c.grant(), c.amount().thousandths(), c.balanceAfter().thousandths()),
            "promotion: grant, credits, available after");
      });
    }
    if (call instanceof GateCall.SetAutoTopUp a) {
      autoTopUp.set(ModelAutoTopUp.Choice.valueOf(a.rule()), currentPeriodStart());
      autoTopUp.afterSpend(wallet.common(), currentPeriodStart(), at); // already at or under: a request now
      recorded.put(key, call);
      return autoTopUpDone();
    }
    if (call instanceof GateCall.DeclineAutoTopUp d) {
      if (autoTopUp.openNumber == 0 || !d.request().equals(autoTopUp.requestId(autoTopUp.openNumber))) {
        return new Expectation.Fails(InvalidRequestException.class);
      }
      autoTopUp.decline(currentPeriodStart(), at);
      recorded.put(key, call);
      return autoTopUpDone();
    }
    throw new IllegalArgumentException("not a call the model knows: " + call);
  }

  private Instant currentPeriodStart() {
    return billing.periodStart(billing.period());
  }

  /** A call that answers the auto top-up status: the model's, field by field. */
  private Expectation autoTopUpDone() {
    List<Object> expected = autoTopUp.status(currentPeriodStart());
    return new Expectation.Done(result -> assertEquals(expected,
        autoTopUpFields(assertInstanceOf(AutoTopUpStatus.class, result)), "auto top-up answered"));
  }

  /** A status's fields as {@link ModelAutoTopUp#status} lists them. */
  static List<Object> autoTopUpFields(AutoTopUpStatus s) {
    return List.of(s.rule().isPresent(), s.open().map(o -> number(o.id())).orElse(0L), s.requestsThisPeriod(),
        s.requestedThisPeriod().map(m -> m.minorUnits()).orElse(0L), s.declinesInARow(),
        s.retryNotBefore().<Object>map(t -> t).orElse(""), s.lastRefusal().isPresent(),
        s.lastDecline().map(d -> number(d.request())).orElse(0L), s.switchedOff());
  }

  /** The number of a request id {@code autotopup:<account>:<n>:<epoch millis>}. */
  private static long number(String requestId) {
    String numbered = requestId.substring(0, requestId.lastIndexOf(':'));
    return Long.parseLong(numbered.substring(numbered.lastIndexOf(':') + 1));
  }
}
