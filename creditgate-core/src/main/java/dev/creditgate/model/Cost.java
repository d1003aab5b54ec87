package dev.creditgate.model;

import dev.creditgate.CreditGateException;
import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;

import java.math.BigInteger;

/**
 * How an operation is priced. A closed set: {@link Free}, {@link Fixed} and {@link Metered}.
 * Immutable.
 */
public sealed interface Cost {

  /**
   * The cost of {@code quantity} of this operation, rounded once, up, to the credit unit.
   *
   * @param quantity how much of the operation: units for {@link Fixed} (1 or more), tokens or
   *     other units for {@link Metered} (0 or more), ignored by {@link Free} (0 or more)
   * @return the cost, zero or more
   * @throws InvalidRequestException if the quantity is out of range for this kind of cost
   * @throws CreditOverflowException if the cost does not fit
   */
  Credits of(long quantity);

  /**
   * How the cost of {@code quantity} of this operation is made up, step by step: the base, the
   * units, the rate per block, the rounding to the credit unit (see {@link CostBreakdown}).
   *
   * @param quantity how much of the operation, zero or more (zero units of a fixed cost cost
   *     nothing)
   * @return the breakdown, whose {@link CostBreakdown#total()} is {@link #of(long)} wherever that
   *     is defined
   * @throws InvalidRequestException if the quantity is negative
   * @throws CreditOverflowException if the cost does not fit
   */
  default CostBreakdown explain(long quantity) {
    return CostBreakdown.of(this, quantity);
  }

  /**
   * Whether the operation never costs credits and is allowed at any balance.
   *
   * @return {@code true} only for {@link Free}
   */
  default boolean isFree() {
    return this instanceof Free;
  }

  /**
   * Costs nothing.
   *
   * @return {@link Free#INSTANCE}
   */
  static Cost free() {
    return Free.INSTANCE;
  }

  /**
   * A fixed price per unit.
   *
   * @param each the credits one unit costs, positive
   * @return a {@link Fixed} cost
   * @throws InvalidRequestException naming {@code each} if it is null, zero or negative
   */
  static Cost fixed(Credits each) {
    return new Fixed(each);
  }

  /**
   * A base plus a rate per block of units.
   *
   * @param base the credits every use costs, zero or more
   * @param perBlock the credits each {@code blockSize} units cost, positive
   * @param blockSize how many units (tokens) a block has, positive: {@code 1000}
   * @return a {@link Metered} cost
   * @throws InvalidRequestException naming the value if one is null or out of range
   */
  static Cost metered(Credits base, Credits perBlock, long blockSize) {
    return new Metered(base, perBlock, blockSize);
  }

  /**
   * Reads a cost from its text, as a line of {@link CostTable#fromProperties} gives it:
   * {@code free}, a fixed price per unit ({@code 2}), or {@code metered <base> + <rate> per <units>}
   * ({@code metered 0.1 + 0.1 per 1000}). Each cost's {@code toString()} is such a text.
   *
   * @param text the cost, surrounding spaces ignored
   * @return the cost it names
   * @throws InvalidRequestException naming the text if it is null or does not parse
   */
  static Cost parse(String text) {
    Checks.nonNull(text, "cost");
    String spec = text.trim();
    try {
      if (spec.equalsIgnoreCase("free")) {
        return free();
      }
      if (spec.startsWith("metered")) {
        String[] parts = spec.substring("metered".length()).trim().split("\\s+");
        if (parts.length != 5 || !parts[1].equals("+") || !parts[3].equals("per")) {
          throw new InvalidRequestException("cost", text, "expected 'metered <base> + <rate> per <units>'");
        }
        return metered(Credits.parse(parts[0]), Credits.parse(parts[2]), Long.parseLong(parts[4]));
      }
      return fixed(Credits.parse(spec));
    } catch (CreditGateException | NumberFormatException e) {
      throw new InvalidRequestException("cost", text, "cost '" + text + "' does not parse: " + e.getMessage());
    }
  }

  /** Costs nothing, whatever the quantity. */
  enum Free implements Cost {
    /** The one free cost. */
    INSTANCE;

    @Override
    public Credits of(long quantity) {
      Checks.nonNegative(quantity, "quantity");
      return Credits.ZERO;
    }

    @Override
    public String toString() {
      return "free";
    }
  }

  /**
   * {@code each} per unit; the quantity counts units (3 images cost 3 x each).
   *
   * @param each the credits one unit costs, positive
   */
  record Fixed(Credits each) implements Cost {
    /**
     * Checks the price.
     *
     * @param each the credits one unit costs, positive
     * @throws InvalidRequestException naming {@code each} if it is null, zero or negative
     */
    public Fixed {
      Checks.nonNull(each, "each");
      if (!each.isPositive()) {
        throw new InvalidRequestException("each", each.toString(), "a fixed cost must be positive but was " + each);
      }
    }

    @Override
    public Credits of(long quantity) {
      Checks.positive(quantity, "quantity");
      return each.times(quantity);
    }

    @Override
    public String toString() {
      return each.toString();
    }
  }

  /**
   * A base plus a rate per block of units: {@code base + perBlock x quantity / blockSize}, e.g.
   * 0.1 credits plus 0.1 per 1,000 tokens. The quantity counts units (tokens); the result is
   * rounded up to the credit unit once, so many small charges never drift below their sum.
   *
   * @param base the credits every use costs, even of quantity 0; zero or more
   * @param perBlock the credits each {@code blockSize} units cost, positive
   * @param blockSize how many units a block has, positive; a part of a block is charged pro rata
   */
  record Metered(Credits base, Credits perBlock, long blockSize) implements Cost {
    /**
     * Checks the terms.
     *
     * @param base the credits every use costs, zero or more
     * @param perBlock the credits each {@code blockSize} units cost, positive
     * @param blockSize how many units a block has, positive
     * @throws InvalidRequestException naming the value if {@code base} is null or negative,
     *     {@code perBlock} null, zero or negative, or {@code blockSize} zero or negative
     */
    public Metered {
      Checks.nonNull(base, "base");
      Checks.nonNull(perBlock, "perBlock");
      if (base.isNegative()) {
        throw new InvalidRequestException("base", base.toString(),
            "a metered base must not be negative but was " + base);
      }
      if (!perBlock.isPositive()) {
        throw new InvalidRequestException("perBlock", perBlock.toString(),
            "a metered rate per block must be positive but was " + perBlock);
      }
      Checks.positive(blockSize, "blockSize");
    }

    @Override
    public Credits of(long quantity) {
      Checks.nonNegative(quantity, "quantity");
      long high = Math.multiplyHigh(perBlock.thousandths(), quantity);
      long product = perBlock.thousandths() * quantity;
      if (high == 0 && product >= 0) {
        long metered = product / blockSize + (product % blockSize == 0 ? 0 : 1);
        long total = base.thousandths() + metered;
        if (total >= 0) {
          return Credits.ofThousandths(total);
        }
      }
      // perBlock x quantity may not fit in a long even when the cost does: divide the wide product.
      BigInteger numerator = BigInteger.valueOf(perBlock.thousandths()).multiply(BigInteger.valueOf(quantity));
      BigInteger[] quotient = numerator.divideAndRemainder(BigInteger.valueOf(blockSize));
      BigInteger metered = quotient[1].signum() == 0 ? quotient[0] : quotient[0].add(BigInteger.ONE);
      BigInteger total = metered.add(BigInteger.valueOf(base.thousandths()));
      if (total.bitLength() > 63) {
        throw new CreditOverflowException(Long.toString(quantity), "the cost of quantity " + quantity + " overflows");
      }
      return Credits.ofThousandths(total.longValue());
    }

    @Override
    public String toString() {
      return "metered " + base + " + " + perBlock + " per " + blockSize;
    }
  }
}
