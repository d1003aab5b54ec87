package dev.creditgate.model;

import java.time.Instant;
import java.util.List;

/**
 * Something a host may want to tell its user, published through the event sink after the change
 * that caused it has been committed. A closed set. Immutable.
 */
public sealed interface WalletEvent {

  /**
   * The wallet the event is about.
   *
   * @return the account whose wallet changed (for a team, the team's account, not the member's)
   */
  AccountId account();

  /**
   * When it happened, on the wallet's time line.
   *
   * @return the time of the call that caused it, or, for what a renewal caused (a renewal, an
   *     expiry, a member removed for lack of seats), the renewal's scheduled time, which may be
   *     earlier than the call that applied the renewal
   */
  Instant at();

  /**
   * The available balance fell to or under {@code percent}% of the period's reference amount (the
   * allowance plus the pack credits at the period's start plus packs bought since), by a spend.
   * Published once per crossing: not again while the balance stays under it, again after a grant
   * lifted it back above, and afresh each period.
   *
   * @param account the wallet's account
   * @param at the time of the spend
   * @param percent the threshold crossed, one of the gate's warning percents (0..100; 20 and 0 by
   *     default)
   * @param available the credits available after the spend
   * @param reference the period's reference amount the threshold is a percentage of
   */
  record ThresholdCrossed(AccountId account, Instant at, int percent, Credits available,
      Credits reference) implements WalletEvent {}

  /**
   * A pack's credits were added.
   *
   * @param account the wallet's account
   * @param at the time of the top-up
   * @param grant the grant's ledger name: {@code "pack:"} and the payment id
   * @param credits the credits the pack added (positive), before any debt was repaid from them
   */
  record CreditsGranted(AccountId account, Instant at, String grant, Credits credits)
      implements WalletEvent {}

  /**
   * Subscription credits were refreshed to {@code plan}'s allowance.
   *
   * @param account the wallet's account
   * @param at the renewal's scheduled time: the start of the new period
   * @param plan the id of the plan in force from this renewal on
   * @param credits the plan's monthly allowance granted, before any debt was repaid from it
   * @param nextRenewal when the new period ends
   */
  record SubscriptionRenewed(AccountId account, Instant at, String plan, Credits credits,
      Instant nextRenewal) implements WalletEvent {}

  /**
   * Unused subscription credits lapsed.
   *
   * @param account the wallet's account
   * @param at the renewal or the upgrade at which they lapsed
   * @param credits the subscription credits that lapsed (positive)
   */
  record SubscriptionCreditsExpired(AccountId account, Instant at, Credits credits)
      implements WalletEvent {}

  /**
   * The plan changes from {@code from} to {@code to} at {@code effectiveAt} (now, or the next
   * renewal).
   *
   * @param account the wallet's account
   * @param at the time of the call that changed the plan
   * @param from the id of the plan in force when the change was made
   * @param to the id of the plan in force from {@code effectiveAt} on; equal to {@code from}
   *     when the call cancelled a scheduled downgrade
   * @param effectiveAt when {@code to} takes effect: {@code at} for an upgrade, the next renewal
   *     for a downgrade or a cancelled one
   */
  record PlanChanged(AccountId account, Instant at, String from, String to, Instant effectiveAt)
      implements WalletEvent {}

  /**
   * A member joined the shared wallet.
   *
   * @param account the shared wallet's account (the team's)
   * @param at the time of the call that added the member
   * @param member the member's own account id
   */
  record MemberAdded(AccountId account, Instant at, AccountId member) implements WalletEvent {}

  /**
   * A member left the shared wallet: removed by the host, or at a renewal to a plan with fewer
   * seats.
   *
   * @param account the shared wallet's account (the team's)
   * @param at the removal's time, or the renewal's (or upgrade's) when the seats ran out
   * @param member the member's own account id
   */
  record MemberRemoved(AccountId account, Instant at, AccountId member) implements WalletEvent {}

  /**
   * Promotional credits were granted: a welcome bonus, a referral, a support gesture. They expire
   * at {@code expiresAt}, pay only for {@code scope} when it names operations, and never repay a
   * debt.
   *
   * @param account the wallet's account
   * @param at the time of the grant
   * @param grant the grant's ledger name: {@code "promo:"} and the granting call's key
   * @param credits the credits granted (positive)
   * @param expiresAt when what is left of them expires
   * @param reason why they were granted, as the host gave it
   * @param scope the operations they may pay for, sorted by id; empty for every operation
   * @param priority their place in the spend order among promotions, 0 (first) to 100 (last)
   */
  record PromotionGranted(AccountId account, Instant at, String grant, Credits credits, Instant expiresAt,
      String reason, List<Operation> scope, int priority) implements WalletEvent {
    /**
     * Copies {@code scope}, so the event stays immutable.
     *
     * @param account the wallet's account
     * @param at the time of the grant
     * @param grant the grant's ledger name
     * @param credits the credits granted
     * @param expiresAt when what is left of them expires
     * @param reason why they were granted
     * @param scope the operations they may pay for; empty for every operation
     * @param priority their place in the spend order among promotions
     * @throws dev.creditgate.InvalidRequestException naming a component that is null
     */
    public PromotionGranted {
      scope = List.copyOf(Checks.nonNull(scope, "scope"));
    }
  }

  /**
   * What was left of a promotional grant expired at its time (recorded lazily, by the first call
   * that saw the wallet at or after it, but dated at the expiry).
   *
   * @param account the wallet's account
   * @param at the grant's expiry time
   * @param grant the grant's ledger name: {@code "promo:"} and the granting call's key
   * @param credits the credits that expired unused (positive)
   */
  record PromotionExpired(AccountId account, Instant at, String grant, Credits credits) implements WalletEvent {}

  /**
   * The available balance fell to or under an absolute threshold, one of the gate's
   * {@code warnBelow} amounts ("under 5 credits"), by a spend. Published once per crossing, as
   * {@link ThresholdCrossed}: not again while the balance stays at or under it, again after a grant
   * lifted it back above, and afresh each period.
   *
   * @param account the wallet's account
   * @param at the time of the spend
   * @param threshold the threshold crossed (zero or more)
   * @param available the credits available after the spend (at most {@code threshold})
   */
  record BalanceBelow(AccountId account, Instant at, Credits threshold, Credits available) implements WalletEvent {}

  /**
   * Nothing is left: a spend took the available balance to zero or below (an overdraft). Published
   * when the gate was built with {@code warnWhenDepleted}, once per depletion: not again while the
   * balance stays at or under zero, again after a grant lifted it above zero and a later spend took
   * it back down, and afresh each period.
   *
   * @param account the wallet's account
   * @param at the time of the spend
   * @param available the credits available after the spend: zero, or negative after an overdraft
   */
  record CreditsDepleted(AccountId account, Instant at, Credits available) implements WalletEvent {}

  /**
   * A promotional grant expires soon: the first call at or after its expiry less the gate's
   * {@code warnBeforeExpiry} lead time found it unexpired with credits left (recorded lazily, as
   * its expiry is). Published once per grant.
   *
   * @param account the wallet's account
   * @param at the time of the call that found it
   * @param grant the grant's ledger name: {@code "promo:"} and the granting call's key
   * @param credits the credits left of it then (positive)
   * @param expiresAt when what is left of it expires (after {@code at})
   */
  record PromotionExpiring(AccountId account, Instant at, String grant, Credits credits, Instant expiresAt)
      implements WalletEvent {}

  /**
   * A spend left the available credits at or under the auto top-up threshold: the host is to
   * charge the customer's payment method with {@code request} as the payment's idempotency key,
   * then confirm with {@code topUp} ({@code topUpCustom} for {@code "custom"}) under that key, or
   * report a decline with {@code declineAutoTopUp}. Recorded in the same commit as the spend; never
   * two requests open at once.
   *
   * @param account the wallet's account
   * @param at the time of the spend
   * @param request the request's id, {@code autotopup:<account>:<n>:<t>}, {@code t} the epoch
   *     milliseconds it was made at
   * @param pack the pack to buy, or {@code "custom"} to restore a target balance
   * @param credits the credits it buys
   * @param price what it costs
   */
  record AutoTopUpRequested(AccountId account, Instant at, String request, String pack, Credits credits,
      Money price) implements WalletEvent {}

  /**
   * A spend left the available credits at or under the auto top-up threshold but the billing
   * period's limit refused the request. Published once per crossing: not again until a grant lifts
   * the available credits back above the threshold, or the next period.
   *
   * @param account the wallet's account
   * @param at the time of the spend
   * @param limit the limit reached
   * @param price what the refused request would have cost
   * @param requests the requests already made this period (declined ones not counted)
   * @param requested what they cost together
   */
  record AutoTopUpRefused(AccountId account, Instant at, AutoTopUp.Limit limit, Money price, int requests,
      Money requested) implements WalletEvent {}

  /**
   * Auto top-up switched itself off after the rule's number of declines in a row; it stays off
   * until the host sets a rule again.
   *
   * @param account the wallet's account
   * @param at the time of the decline that switched it off
   * @param declines the declines in a row
   * @param reason the last decline's reason, as the host gave it
   */
  record AutoTopUpDisabled(AccountId account, Instant at, int declines, String reason) implements WalletEvent {}

  /**
   * The payment of a pack was reversed (a chargeback, a payment that failed late): what remained
   * of its grant was taken back, and what had been spent from it became debt, repaid at once from
   * the subscription and pack credits the wallet holds and otherwise first from the next grant.
   *
   * @param account the wallet's account
   * @param at the time of the reversal
   * @param grant the reversed grant's ledger name: {@code "pack:"} and the payment id
   * @param takenBack what remained of the grant and was taken back (zero or more)
   * @param owed what had been spent from the grant (debt repayments it made included) and became
   *     debt (zero or more)
   */
  record PackReversed(AccountId account, Instant at, String grant, Credits takenBack, Credits owed)
      implements WalletEvent {}
}
