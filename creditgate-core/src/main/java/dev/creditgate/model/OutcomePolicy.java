package dev.creditgate.model;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;

import java.util.EnumMap;
import java.util.Map;

/**
 * What share of a generation's metered cost each {@link Outcome.Kind} is charged, in basis points
 * (1/100 of a percent), with a floor. Errors and retries still use credits; the policy trims the
 * waste, and with a positive floor the charge never drops to zero. Immutable and thread-safe.
 *
 * <p>The defaults: succeeded 100%, failed at the model 50%, error caught by the platform 25%, a
 * retry of a failed attempt 50%; floor 10%, and never less than one credit unit (0.001) when the
 * metered cost is positive. Every share is rounded up to the credit unit, once.
 *
 * <pre>{@code
 * OutcomePolicy lenient = OutcomePolicy.defaults().toBuilder()
 *     .share(Outcome.Kind.PLATFORM_ERROR, 1_000)   // 10%
 *     .build();
 * }</pre>
 */
public final class OutcomePolicy {
  /** Basis points in 100%. */
  public static final int ALL = 10_000;

  private final Map<Outcome.Kind, Integer> shares;
  private final int floor;

  private OutcomePolicy(Map<Outcome.Kind, Integer> shares, int floor) {
    this.shares = new EnumMap<>(shares);
    this.floor = floor;
  }

  /**
   * The default policy (see the class comment).
   *
   * @return succeeded 10000, failed at the model 5000, platform error 2500, retry 5000 basis
   *     points; floor 1000
   */
  public static OutcomePolicy defaults() {
    return builder()
        .share(Outcome.Kind.SUCCEEDED, ALL)
        .share(Outcome.Kind.FAILED_AT_MODEL, 5_000)
        .share(Outcome.Kind.PLATFORM_ERROR, 2_500)
        .share(Outcome.Kind.RETRY, 5_000)
        .floor(1_000)
        .build();
  }

  /**
   * An empty builder: no shares, floor 0.
   *
   * @return a builder that needs a share for every {@link Outcome.Kind} before it builds
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder that starts from this policy, to change some shares and keep the rest.
   *
   * @return a builder holding this policy's shares and floor
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.shares.putAll(shares);
    builder.floor = floor;
    return builder;
  }

  /**
   * The share of {@code kind}, in basis points.
   *
   * @param kind the outcome class
   * @return its share, 0..10000 and at least the floor
   * @throws InvalidRequestException if {@code kind} is null
   */
  public int share(Outcome.Kind kind) {
    return shares.get(Checks.nonNull(kind, "kind"));
  }

  /**
   * The floor, in basis points.
   *
   * @return the least share any outcome is charged, 0..10000
   */
  public int floor() {
    return floor;
  }

  /**
   * What to charge for {@code metered} credits of work that ended with {@code outcome}: the larger
   * of its share and the floor, rounded up to the credit unit; at least one unit when the floor is
   * positive and the metered cost is.
   *
   * @param outcome how the work ended
   * @param metered the metered cost of the work done, before the outcome's share
   * @return the credits to charge, from zero (for a metered cost of zero or less) up to
   *     {@code metered}
   * @throws InvalidRequestException if either is null
   */
  public Credits charge(Outcome outcome, Credits metered) {
    Checks.nonNull(outcome, "outcome");
    Checks.nonNull(metered, "metered");
    if (!metered.isPositive()) {
      return Credits.ZERO;
    }
    int basisPoints = Math.max(shares.get(outcome.kind()), floor);
    long units = metered.thousandths();
    long charged;
    try {
      long whole = Math.multiplyExact(units / ALL, (long) basisPoints);
      long part = units % ALL * basisPoints;
      charged = Math.addExact(whole, part / ALL + (part % ALL == 0 ? 0 : 1));
    } catch (ArithmeticException e) {
      throw new CreditOverflowException(metered.toString(), "share of " + metered + " overflows");
    }
    if (charged == 0 && floor > 0) {
      charged = 1;
    }
    return Credits.ofThousandths(charged);
  }

  @Override
  public String toString() {
    return "OutcomePolicy" + shares + " floor " + floor;
  }

  /** Builds an {@link OutcomePolicy}: every kind needs a share in 0..10000, none below the floor. */
  public static final class Builder {
    private final Map<Outcome.Kind, Integer> shares = new EnumMap<>(Outcome.Kind.class);
    private int floor;

    private Builder() {}

    /**
     * Sets the share of {@code kind}, replacing any set before.
     *
     * @param kind the outcome class
     * @param basisPoints its share of the metered cost, 0..10000 (10000 is 100%)
     * @return this builder
     * @throws InvalidRequestException naming the value if {@code kind} is null or the share is
     *     outside 0..10000
     */
    public Builder share(Outcome.Kind kind, int basisPoints) {
      Checks.nonNull(kind, "kind");
      requireBasisPoints(basisPoints, "share of " + kind);
      shares.put(kind, basisPoints);
      return this;
    }

    /**
     * The least share any outcome is charged; 0 lets a share of 0 make an outcome free.
     *
     * @param basisPoints the floor, 0..10000; 0 by default
     * @return this builder
     * @throws InvalidRequestException naming the floor if it is outside 0..10000
     */
    public Builder floor(int basisPoints) {
      requireBasisPoints(basisPoints, "floor");
      this.floor = basisPoints;
      return this;
    }

    /**
     * The policy.
     *
     * @return the policy, independent of later changes to this builder
     * @throws InvalidRequestException naming the share if a kind has none or one below the floor
     */
    public OutcomePolicy build() {
      for (Outcome.Kind kind : Outcome.Kind.values()) {
        Integer share = shares.get(kind);
        if (share == null) {
          throw new InvalidRequestException("share of " + kind, null, "outcome policy has no share for " + kind);
        }
        if (share < floor) {
          throw new InvalidRequestException("share of " + kind, share.toString(),
              "share of " + kind + " (" + share + " bp) is below the floor (" + floor + " bp)");
        }
      }
      return new OutcomePolicy(shares, floor);
    }

    private static void requireBasisPoints(int value, String name) {
      if (value < 0 || value > ALL) {
        throw new InvalidRequestException(name, Integer.toString(value),
            name + " must be 0..10000 basis points but was " + value);
      }
    }
  }
}
