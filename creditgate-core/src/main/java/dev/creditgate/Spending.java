package dev.creditgate;

import static dev.creditgate.Arguments.require;
import static dev.creditgate.Arguments.requireTime;

import dev.creditgate.MutationRunner.Step;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Cost;
import dev.creditgate.model.CostBreakdown;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.OutcomePolicy;
import dev.creditgate.spi.IdempotencyRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** Spending credits: check, charge, and holds (reserve, capture, release). */
final class Spending {
  private final MutationRunner runner;
  private final Decider decider;
  private final OutcomePolicy outcomes;
  private final Duration holdTimeToLive;
  /** What a release charges: nothing. */
  private static final CostBreakdown RELEASED = Cost.free().explain(0);

  Spending(MutationRunner runner, Decider decider, OutcomePolicy outcomes, Duration holdTimeToLive) {
    this.runner = runner;
    this.decider = decider;
    this.outcomes = outcomes;
    this.holdTimeToLive = holdTimeToLive;
  }

  Decision check(AccountId account, Optional<AccountId> member, Operation operation, long quantity, Instant at) {
    Cost pricing = decider.pricingOf(operation);
    Credits cost = pricing.of(quantity);
    require(account, "account");
    requireTime(at, "at");
    return decider.decide(runner.current(account, at), member, operation, quantity, pricing, cost, at);
  }

  Decision charge(AccountId account, Optional<AccountId> member, Operation operation, long quantity,
      IdempotencyKey key, Instant at) {
    require(operation, "operation");
    require(account, "account");
    require(key, "key");
    requireTime(at, "at");
    Request request = new Request.Charge(operation, quantity, member);
    Cost pricing;
    Credits cost;
    try {
      pricing = decider.pricingOf(operation);
      cost = pricing.of(quantity);
    } catch (CreditGateException e) {
      // Unknown now, or no longer valid for this quantity, or overflowing at today's price.
      return replayOr(account, key, request, e);
    }
    if (cost.isZero()) {
      // Never written, but a key recorded for another call conflicts as it would for a paid one.
      Optional<IdempotencyRecord> recorded = runner.read(account, () -> runner.store().findRecord(account, key));
      return recorded.isPresent() ? Receipts.DECISION.replay(recorded.get(), request)
          : decider.decide(runner.current(account, at), member, operation, quantity, pricing, cost, at);
    }
    return decideAndApply(account, member, operation, quantity, pricing, cost, key, request, at, false,
        wallet -> wallet.debit(operation, cost, member, key.value(), at, runner.rules()));
  }

  /**
   * A call the cost table no longer prices as it did (an operation removed, changed from metered to
   * fixed, priced higher, or made free for a reserve) may still be the retry of one recorded when it
   * was: its recorded answer stands. Otherwise the refusal does.
   */
  private Decision replayOr(AccountId account, IdempotencyKey key, Request request, CreditGateException refusal) {
    Optional<IdempotencyRecord> recorded = runner.read(account, () -> runner.store().findRecord(account, key));
    if (recorded.isPresent()) {
      return Receipts.DECISION.replay(recorded.get(), request);
    }
    throw refusal;
  }

  Decision reserve(AccountId account, Optional<AccountId> member, Operation operation, long quantity,
      IdempotencyKey key, Instant at) {
    require(operation, "operation");
    require(account, "account");
    require(key, "key");
    requireTime(at, "at");
    Request request = new Request.Reserve(operation, quantity, member);
    Cost pricing;
    Credits cost;
    try {
      pricing = decider.pricingOf(operation);
      cost = pricing.of(quantity);
    } catch (CreditGateException e) {
      // Unknown now, or no longer valid for this quantity, or overflowing at today's price.
      return replayOr(account, key, request, e);
    }
    if (!cost.isPositive()) {
      return replayOr(account, key, request, new InvalidRequestException("operation", operation.id(),
          "operation '" + operation.id() + "' x" + quantity + " costs nothing; there is nothing to reserve"));
    }
    Instant expiresAt = at.plus(holdTimeToLive);
    return decideAndApply(account, member, operation, quantity, pricing, cost, key, request, at, true,
        wallet -> HoldChanges.reserve(wallet, key.value(), operation, cost, member, expiresAt, at, runner.rules()));
  }

  /**
   * The shape of {@code charge} and {@code reserve}: decide, and if allowed apply {@code change}
   * and answer with the balances before and after it; a denial writes nothing. A reserve
   * ({@code hold}) is decided on the credits that may back a hold: scoped promotional grants never
   * do.
   */
  private Decision decideAndApply(AccountId account, Optional<AccountId> member, Operation operation,
      long quantity, Cost pricing, Credits cost, IdempotencyKey key, Request request, Instant at, boolean hold,
      Function<Wallet, Transition> change) {
    return runner.mutate(account, key, request, at, Receipts.DECISION, wallet -> {
      Decision decision = decider.decide(hold ? wallet.forHolds() : wallet, member, operation, quantity, pricing,
          cost, at);
      if (!decision.isAllowed()) {
        return Step.answer(decision);
      }
      // A charge or a reserve takes exactly the cost from what is available and leaves the period's
      // reference alone, so the decision's "after" is already the applied wallet's.
      return Step.commit(decision, change.apply(wallet));
    });
  }

  HoldSettlement capture(AccountId account, IdempotencyKey hold, long quantity, Outcome outcome,
      IdempotencyKey key, Instant at) {
    require(account, "account");
    require(hold, "hold");
    require(outcome, "outcome");
    require(key, "key");
    requireTime(at, "at");
    Arguments.requireNonNegative(quantity, "quantity");
    WalletRules rules = runner.rules();
    Request request = new Request.Capture(hold, quantity, outcome);
    return runner.mutate(account, key, request, at, Receipts.SETTLEMENT, wallet -> {
      Hold open = HoldChanges.openHold(wallet, hold.value());
      Cost cost = decider.costs().costOf(open.operation());
      // Nothing produced: zero units of a fixed cost are worth nothing (a charge would refuse them).
      Credits metered = quantity == 0 && cost instanceof Cost.Fixed ? Credits.ZERO : cost.of(quantity);
      Credits due = outcomes.charge(outcome, metered);
      // The share charged is the outcome's, never below the floor: what OutcomePolicy.charge applies.
      CostBreakdown breakdown = cost.explain(quantity)
          .withShare(Math.max(outcomes.share(outcome.kind()), outcomes.floor()));
      Credits charged = due.min(HoldChanges.mostCapturable(wallet, hold.value(), rules));
      Transition t = HoldChanges.capture(wallet, hold.value(), charged, key.value(), at, rules);
      Wallet after = t.wallet();
      return Step.commit(new HoldSettlement(hold.value(), open.operation(), outcome, open.amount(), metered,
          due, charged, after.available(), after.meter(rules), breakdown), t);
    });
  }

  HoldSettlement release(AccountId account, IdempotencyKey hold, IdempotencyKey key, Instant at) {
    require(account, "account");
    require(hold, "hold");
    require(key, "key");
    requireTime(at, "at");
    return runner.mutate(account, key, new Request.Release(hold), at, Receipts.SETTLEMENT, wallet -> {
      Hold open = HoldChanges.openHold(wallet, hold.value());
      Transition t = HoldChanges.release(wallet, hold.value(), key.value(), at);
      Wallet after = t.wallet();
      return Step.commit(new HoldSettlement(hold.value(), open.operation(), null, open.amount(),
          Credits.ZERO, Credits.ZERO, Credits.ZERO, after.available(), after.meter(runner.rules()), RELEASED), t);
    });
  }
}
