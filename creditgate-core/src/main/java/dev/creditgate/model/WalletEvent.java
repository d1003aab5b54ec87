package dev.creditgate.model;

import java.time.Instant;

/**
 * Something a host may want to tell its user, published through the event sink after the change
 * that caused it has been committed. A closed set. Immutable.
 */
public sealed interface WalletEvent {

  AccountId account();

  Instant at();

  /**
   * The available balance fell to or under {@code percent}% of the period's reference amount (the
   * allowance plus the pack credits at the period's start plus packs bought since), by a spend.
   * Published once per crossing: not again while the balance stays under it, again after a grant
   * lifted it back above, and afresh each period.
   */
  record ThresholdCrossed(AccountId account, Instant at, int percent, Credits available,
      Credits reference) implements WalletEvent {}

  /** A pack's credits were added. */
  record CreditsGranted(AccountId account, Instant at, String grant, Credits credits)
      implements WalletEvent {}

  /** Subscription credits were refreshed to {@code plan}'s allowance. */
  record SubscriptionRenewed(AccountId account, Instant at, String plan, Credits credits,
      Instant nextRenewal) implements WalletEvent {}

  /** Unused subscription credits lapsed. */
  record SubscriptionCreditsExpired(AccountId account, Instant at, Credits credits)
      implements WalletEvent {}

  /** The plan changes from {@code from} to {@code to} at {@code effectiveAt} (now, or the next renewal). */
  record PlanChanged(AccountId account, Instant at, String from, String to, Instant effectiveAt)
      implements WalletEvent {}

  /** A member joined the shared wallet. */
  record MemberAdded(AccountId account, Instant at, AccountId member) implements WalletEvent {}

  /** A member left the shared wallet: removed by the host, or at a renewal to a plan with fewer seats. */
  record MemberRemoved(AccountId account, Instant at, AccountId member) implements WalletEvent {}
}
