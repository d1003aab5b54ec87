package dev.creditgate.model;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;

import java.math.BigDecimal;

/**
 * An exact amount of credits, held as a whole number of thousandths of a credit (the credit unit).
 *
 * <p>Immutable and thread-safe. Arithmetic never wraps: a result that does not fit in a
 * {@code long} of thousandths throws {@link CreditOverflowException}. An amount may be negative
 * (a debit, a debt); where a call needs a positive amount it says so and checks it.
 *
 * <pre>{@code
 * Credits tweak = Credits.parse("0.3");          // 300 thousandths
 * Credits total = Credits.of(30).minus(tweak);   // 29.7
 * }</pre>
 *
 * @param thousandths the amount in thousandths of a credit: {@code 1500} is 1.5 credits
 */
public record Credits(long thousandths) implements Comparable<Credits> {

  /** Thousandths of a credit in one credit. */
  public static final long UNIT = 1000;

  /** No credits. */
  public static final Credits ZERO = new Credits(0);

  /**
   * Whole credits.
   *
   * @param credits the number of whole credits, of either sign
   * @return {@code credits} x {@link #UNIT} thousandths
   * @throws CreditOverflowException if that does not fit in a {@code long} of thousandths (beyond
   *     about 9.2 x 10<sup>15</sup> credits)
   */
  public static Credits of(long credits) {
    try {
      return new Credits(Math.multiplyExact(credits, UNIT));
    } catch (ArithmeticException e) {
      throw new CreditOverflowException(Long.toString(credits), credits + " credits do not fit in creditgate's range");
    }
  }

  /**
   * An amount in thousandths of a credit, the credit unit; the same as the constructor.
   *
   * @param thousandths the amount in thousandths, of either sign: {@code 300} is 0.3 credits
   * @return the amount ({@link #ZERO} for 0)
   */
  public static Credits ofThousandths(long thousandths) {
    return thousandths == 0 ? ZERO : new Credits(thousandths);
  }

  /**
   * Parses a decimal such as {@code "12"}, {@code "0.25"} or {@code "-3.125"}.
   *
   * @param text the decimal, in the form {@link BigDecimal#BigDecimal(String)} reads (so
   *     {@code "1e3"} is 1000 too); surrounding whitespace is ignored
   * @return the exact amount
   * @throws InvalidRequestException if the text is not a decimal with at most three fractional
   *     digits
   * @throws CreditOverflowException if it is out of range
   */
  public static Credits parse(String text) {
    Checks.nonNull(text, "credits");
    BigDecimal value;
    try {
      value = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("credits", text, "credits '" + text + "' is not a decimal number");
    }
    if ((long) value.precision() - value.scale() > 19) {
      throw new CreditOverflowException(text, "credits '" + text + "' do not fit in creditgate's range");
    }
    BigDecimal scaled = value.movePointRight(3);
    if (scaled.stripTrailingZeros().scale() > 0) {
      throw new InvalidRequestException("credits", text,
          "credits '" + text + "' has more than three decimal places (the credit unit is 0.001)");
    }
    try {
      return ofThousandths(scaled.longValueExact());
    } catch (ArithmeticException e) {
      throw new CreditOverflowException(text, "credits '" + text + "' do not fit in creditgate's range");
    }
  }

  /**
   * The sum.
   *
   * @param other the amount to add, of either sign
   * @return {@code this + other}
   * @throws InvalidRequestException if {@code other} is null
   * @throws CreditOverflowException if the sum does not fit
   */
  public Credits plus(Credits other) {
    if (Checks.nonNull(other, "credits").thousandths == 0) {
      return this;
    }
    if (thousandths == 0) {
      return other;
    }
    try {
      return ofThousandths(Math.addExact(thousandths, other.thousandths));
    } catch (ArithmeticException e) {
      // Built right here, not in a helper: a call in the handler makes the JIT keep both operands
      // as objects, and the hot paths (a check, a charge) would allocate them.
      throw new CreditOverflowException(this + " + " + other, this + " + " + other + " overflows");
    }
  }

  /**
   * The difference.
   *
   * @param other the amount to take away, of either sign
   * @return {@code this - other}
   * @throws InvalidRequestException if {@code other} is null
   * @throws CreditOverflowException if the difference does not fit
   */
  public Credits minus(Credits other) {
    if (Checks.nonNull(other, "credits").thousandths == 0) {
      return this;
    }
    try {
      return ofThousandths(Math.subtractExact(thousandths, other.thousandths));
    } catch (ArithmeticException e) {
      throw new CreditOverflowException(this + " - " + other, this + " - " + other + " overflows");
    }
  }

  /**
   * The product with a whole number, such as the credits of three images at a fixed price.
   *
   * @param factor the multiplier, of either sign
   * @return {@code this x factor}
   * @throws CreditOverflowException if the product does not fit
   */
  public Credits times(long factor) {
    if (factor == 1) {
      return this;
    }
    try {
      return ofThousandths(Math.multiplyExact(thousandths, factor));
    } catch (ArithmeticException e) {
      throw new CreditOverflowException(this + " x " + factor, this + " x " + factor + " overflows");
    }
  }

  /**
   * The amount with the opposite sign.
   *
   * @return {@code -this}
   * @throws CreditOverflowException for the one amount whose negation does not fit,
   *     {@code Long.MIN_VALUE} thousandths
   */
  public Credits negate() {
    return ZERO.minus(this);
  }

  /**
   * The smaller of two amounts.
   *
   * @param other the amount to compare with
   * @return {@code this} if it is not larger than {@code other}, else {@code other}
   * @throws InvalidRequestException if {@code other} is null
   */
  public Credits min(Credits other) {
    return compareTo(Checks.nonNull(other, "credits")) <= 0 ? this : other;
  }

  /**
   * The larger of two amounts.
   *
   * @param other the amount to compare with
   * @return {@code this} if it is not smaller than {@code other}, else {@code other}
   * @throws InvalidRequestException if {@code other} is null
   */
  public Credits max(Credits other) {
    return compareTo(Checks.nonNull(other, "credits")) >= 0 ? this : other;
  }

  /**
   * Whether this is no credits.
   *
   * @return {@code true} for zero thousandths
   */
  public boolean isZero() {
    return thousandths == 0;
  }

  /**
   * Whether this is more than zero.
   *
   * @return {@code true} for one thousandth or more
   */
  public boolean isPositive() {
    return thousandths > 0;
  }

  /**
   * Whether this is less than zero, such as a debit or a debt.
   *
   * @return {@code true} for minus one thousandth or less
   */
  public boolean isNegative() {
    return thousandths < 0;
  }

  /**
   * Whether this is strictly less than {@code other}.
   *
   * @param other the amount to compare with
   * @return {@code true} if {@code this < other}
   * @throws InvalidRequestException if {@code other} is null
   */
  public boolean isLessThan(Credits other) {
    return thousandths < Checks.nonNull(other, "credits").thousandths;
  }

  /**
   * Orders amounts by value; consistent with {@code equals}.
   *
   * @param other the amount to compare with, not null
   * @return negative, zero or positive as {@code this} is less than, equal to or more than
   *     {@code other}
   */
  @Override
  public int compareTo(Credits other) {
    return Long.compare(thousandths, other.thousandths);
  }

  /**
   * The plain decimal, without trailing zeros: {@code "29.7"}, {@code "30"}, {@code "-0.005"}.
   *
   * @return text that {@link #parse(String)} reads back to an equal amount
   */
  @Override
  public String toString() {
    return BigDecimal.valueOf(thousandths, 3).stripTrailingZeros().toPlainString();
  }
}
