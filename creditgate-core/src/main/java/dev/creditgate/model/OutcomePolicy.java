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

  public static OutcomePolicy defaults() {
    return builder()
        .share(Outcome.Kind.SUCCEEDED, ALL)
        .share(Outcome.Kind.FAILED_AT_MODEL, 5_000)
        .share(Outcome.Kind.PLATFORM_ERROR, 2_500)
        .share(Outcome.Kind.RETRY, 5_000)
        .floor(1_000)
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.shares.putAll(shares);
    builder.floor = floor;
    return builder;
  }

  /** The share of {@code kind}, in basis points. */
  public int share(Outcome.Kind kind) {
    return shares.get(Checks.nonNull(kind, "kind"));
  }

  /** The floor, in basis points. */
  public int floor() {
    return floor;
  }

  /**
   * What to charge for {@code metered} credits of work that ended with {@code outcome}: the larger
   * of its share and the floor, rounded up to the credit unit; at least one unit when the floor is
   * positive and the metered cost is.
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

    public Builder share(Outcome.Kind kind, int basisPoints) {
      Checks.nonNull(kind, "kind");
      requireBasisPoints(basisPoints, "share of " + kind);
      shares.put(kind, basisPoints);
      return this;
    }

    /** The least share any outcome is charged; 0 lets a share of 0 make an outcome free. */
    public Builder floor(int basisPoints) {
      requireBasisPoints(basisPoints, "floor");
      this.floor = basisPoints;
      return this;
    }

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
