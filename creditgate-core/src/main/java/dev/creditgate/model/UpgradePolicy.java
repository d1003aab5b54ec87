package dev.creditgate.model;

/**
 * What an upgrade does to the billing period. Either way the upgrade takes effect at once: the
 * remaining subscription credits of the old plan expire, the new plan's full allowance is granted,
 * and pack credits are untouched.
 */
public enum UpgradePolicy {
  /** The default: a new period starts at the upgrade, which becomes the new renewal anchor. */
  RESTART_PERIOD,
  /** The renewal date stays where it was; the new allowance runs until then. */
  KEEP_RENEWAL_DATE
}
