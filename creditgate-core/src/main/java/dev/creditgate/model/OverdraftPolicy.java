package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * Whether a paid operation may cost more than the credits available. Immutable.
 *
 * <p>{@link #NONE}, the default, denies it. {@link #downTo(Credits)} lets the last operation
 * finish while anything is available, taking the balance down to {@code -floor} at most; the debt
 * is repaid first from the next grant (a pack or the next renewal).
 *
 * @param floor how far below zero an operation may take the available credits, zero or more;
 *     zero denies every overdraft
 */
public record OverdraftPolicy(Credits floor) {
  /** No overdraft: an operation costing more than is available is denied. The default. */
  public static final OverdraftPolicy NONE = new OverdraftPolicy(Credits.ZERO);

  /**
   * Checks the floor.
   *
   * @param floor the most debt an operation may leave, zero or more
   * @throws InvalidRequestException naming the floor if it is null or negative
   */
  public OverdraftPolicy {
    Checks.nonNull(floor, "floor");
    if (floor.isNegative()) {
      throw new InvalidRequestException("floor", floor.toString(),
          "overdraft floor must not be negative but was " + floor);
    }
  }

  /**
   * Lets an operation take the balance down to {@code -floor} while anything is available.
   *
   * @param floor the most debt an operation may leave, zero or more (zero is {@link #NONE})
   * @return the policy
   * @throws InvalidRequestException naming the floor if it is null or negative
   */
  public static OverdraftPolicy downTo(Credits floor) {
    return new OverdraftPolicy(floor);
  }

  /**
   * Whether a cost of {@code cost} (zero or more) may be taken from {@code available}.
   *
   * @param available the credits available now (the balance less what is held); may be zero or
   *     negative
   * @param cost the cost of the operation
   * @return {@code true} if {@code cost} is at most {@link #mostAllowed(Credits) mostAllowed}
   *     {@code (available)}
   * @throws InvalidRequestException if either is null
   * @throws dev.creditgate.CreditOverflowException if {@code available + floor} does not fit
   */
  public boolean allows(Credits available, Credits cost) {
    return Checks.nonNull(cost, "cost").compareTo(mostAllowed(available)) <= 0;
  }

  /**
   * The largest cost that may be taken from {@code available}: nothing once it is used up.
   *
   * @param available the credits available now; may be zero or negative
   * @return {@code available + floor} if {@code available} is positive, else zero
   * @throws InvalidRequestException if {@code available} is null
   * @throws dev.creditgate.CreditOverflowException if {@code available + floor} does not fit
   */
  public Credits mostAllowed(Credits available) {
    return Checks.nonNull(available, "available").isPositive() ? available.plus(floor) : Credits.ZERO;
  }
}
