package dev.creditgate.model;

/**
 * Which credits a charge takes first. Pack grants are always taken oldest purchase first, and
 * promotional grants always before packs (they expire, packs never do): by priority, 0 first, then
 * the soonest expiry, then the oldest grant. A scoped promotional grant pays only for the
 * operations it names.
 */
public enum SpendOrder {
  /**
   * The default: subscription credits first, because unused ones expire at renewal; then
   * promotional grants; then packs.
   */
  SUBSCRIPTION_FIRST,
  /** Promotional grants first, then pack credits, then subscription credits. */
  PACKS_FIRST
}
