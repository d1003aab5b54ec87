package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * Whether a paid operation may cost more than the credits available. Immutable.
 *
 * <p>{@link #NONE}, the default, denies it. {@link #downTo(Credits)} lets the last operation
 * finish while anything is available, taking the balance down to {@code -floor} at most; the debt
 * is repaid first from the next grant (a pack or the next renewal).
 */
public record OverdraftPolicy(Credits floor) {
  public static final OverdraftPolicy NONE = new OverdraftPolicy(Credits.ZERO);

  public OverdraftPolicy {
    Checks.nonNull(floor, "floor");
    if (floor.isNegative()) {
      throw new InvalidRequestException("floor", floor.toString(),
          "overdraft floor must not be negative but was " + floor);
    }
  }

  public static OverdraftPolicy downTo(Credits floor) {
    return new OverdraftPolicy(floor);
  }

  /** Whether a cost of {@code cost} (zero or more) may be taken from {@code available}. */
  public boolean allows(Credits available, Credits cost) {
    return Checks.nonNull(cost, "cost").compareTo(mostAllowed(available)) <= 0;
  }

  /** The largest cost that may be taken from {@code available}: nothing once it is used up. */
  public Credits mostAllowed(Credits available) {
    return Checks.nonNull(available, "available").isPositive() ? available.plus(floor) : Credits.ZERO;
  }
}
