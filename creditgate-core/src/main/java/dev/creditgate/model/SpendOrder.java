package dev.creditgate.model;

/** Which credits a charge takes first. Pack grants are always taken oldest purchase first. */
public enum SpendOrder {
  /** The default: subscription credits first, because unused ones expire at renewal. */
  SUBSCRIPTION_FIRST,
  /** Pack credits first, then subscription credits. */
  PACKS_FIRST
}
