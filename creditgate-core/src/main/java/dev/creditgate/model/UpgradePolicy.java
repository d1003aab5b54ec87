package dev.creditgate.model;

/**
 * What an upgrade does to the billing period and the subscription credits. Either way the upgrade
 * takes effect at once and pack and promotional credits are untouched.
 */
public enum UpgradePolicy {
  /**
   * The default: a new period starts at the upgrade, which becomes the new renewal anchor; the
   * old plan's remaining subscription credits expire and the new plan's full allowance is granted.
   */
  RESTART_PERIOD,
  /**
   * The renewal date stays where it was: the subscription credits left this period stay, and the
   * difference between the new and the old allowance is granted prorated to the part of the period
   * left, to the nanosecond, rounded down to the thousandth (so an upgrade a day before the renewal
   * buys about a day's share, never a full allowance; nothing when the new allowance is not larger).
   */
  KEEP_RENEWAL_DATE
}
