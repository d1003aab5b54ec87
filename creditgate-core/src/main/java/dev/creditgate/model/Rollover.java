package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * A plan's rollover of unused subscription credits into the next period, up to a cap: a number of
 * credits, or a share of the plan's allowance in percent. Off ({@link #NONE}) by default: the
 * article's plans refresh. At a renewal the credits the period left unused (its subscription
 * credits expire as always) come back as a grant of their own, {@code "rollover:<period start>"},
 * that expires at the end of the new period; see {@link Plan#rollover()}. Immutable.
 *
 * @param maxCredits the cap in credits, or zero when the cap is a percentage (or rollover is off)
 * @param maxPercent the cap in percent of the allowance (1 to 100), or zero when it is in credits
 *     (or rollover is off)
 */
public record Rollover(Credits maxCredits, int maxPercent) {
  /** No rollover: unused subscription credits expire at the renewal. */
  public static final Rollover NONE = new Rollover(Credits.ZERO, 0);

  /**
   * Checks the cap: at most one of the two is set, the credits never negative, the percentage 0 to
   * 100.
   *
   * @param maxCredits the cap in credits, zero or more
   * @param maxPercent the cap in percent of the allowance, 0 to 100
   * @throws InvalidRequestException naming the value if both are set, the credits are null or
   *     negative, or the percentage is outside 0..100
   */
  public Rollover {
    if (maxCredits == null) {
      throw new InvalidRequestException("maxCredits", "null", "a rollover's cap in credits must not be null");
    }
    if (maxCredits.isNegative()) {
      throw new InvalidRequestException("maxCredits", maxCredits.toString(),
          "a rollover's cap must not be negative but was " + maxCredits);
    }
    if (maxPercent < 0 || maxPercent > 100) {
      throw new InvalidRequestException("maxPercent", Integer.toString(maxPercent),
          "a rollover's share must be within 0..100 percent but was " + maxPercent);
    }
    if (maxCredits.isPositive() && maxPercent > 0) {
      throw new InvalidRequestException("maxPercent", Integer.toString(maxPercent),
          "a rollover is capped in credits (" + maxCredits + ") or in percent, not both");
    }
  }

  /**
   * Unused subscription credits roll over up to {@code credits} a period.
   *
   * @param credits the cap, positive
   * @return the rollover
   * @throws InvalidRequestException naming the value if it is null or not positive
   */
  public static Rollover upTo(Credits credits) {
    if (credits == null || !credits.isPositive()) {
      throw new InvalidRequestException("maxCredits", String.valueOf(credits),
          "a rollover's cap must be positive but was " + credits);
    }
    return new Rollover(credits, 0);
  }

  /**
   * Unused subscription credits roll over up to {@code percent}% of the plan's allowance a period.
   *
   * @param percent the share, 1 to 100
   * @return the rollover
   * @throws InvalidRequestException naming the value if it is outside 1..100
   */
  public static Rollover upToPercent(int percent) {
    if (percent < 1 || percent > 100) {
      throw new InvalidRequestException("maxPercent", Integer.toString(percent),
          "a rollover's share must be within 1..100 percent but was " + percent);
    }
    return new Rollover(Credits.ZERO, percent);
  }

  /**
   * Whether unused credits roll over at all.
   *
   * @return {@code false} for {@link #NONE}
   */
  public boolean isEnabled() {
    return maxCredits.isPositive() || maxPercent > 0;
  }

  /**
   * The most credits that roll over from a period of a plan granting {@code allowance}: the cap in
   * credits, or {@code allowance x percent / 100} in exact thousandths, rounded down.
   *
   * @param allowance the plan's allowance, zero or more
   * @return the cap, zero when rollover is off
   * @throws InvalidRequestException if {@code allowance} is null
   */
  public Credits capFor(Credits allowance) {
    if (allowance == null) {
      throw new InvalidRequestException("allowance", "null", "the allowance must not be null");
    }
    if (maxPercent == 0) {
      return maxCredits;
    }
    // thousandths x percent fits a long for every allowance below 92 quadrillion thousandths.
    return Credits.ofThousandths(Math.multiplyExact(allowance.thousandths(), (long) maxPercent) / 100);
  }
}
