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
 */
public record Credits(long thousandths) implements Comparable<Credits> {

  /** Thousandths of a credit in one credit. */
  public static final long UNIT = 1000;

  public static final Credits ZERO = new Credits(0);

  /** Whole credits. */
  public static Credits of(long credits) {
    try {
      return new Credits(Math.multiplyExact(credits, UNIT));
    } catch (ArithmeticException e) {
      throw new CreditOverflowException(Long.toString(credits), credits + " credits do not fit in creditgate's range");
    }
  }

  public static Credits ofThousandths(long thousandths) {
    return thousandths == 0 ? ZERO : new Credits(thousandths);
  }

  /**
   * Parses a decimal such as {@code "12"}, {@code "0.25"} or {@code "-3.125"}.
   *
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
      throw overflow(this + " + " + other);
    }
  }

  public Credits minus(Credits other) {
    if (Checks.nonNull(other, "credits").thousandths == 0) {
      return this;
    }
    try {
      return ofThousandths(Math.subtractExact(thousandths, other.thousandths));
    } catch (ArithmeticException e) {
      throw overflow(this + " - " + other);
    }
  }

  public Credits times(long factor) {
    if (factor == 1) {
      return this;
    }
    try {
      return ofThousandths(Math.multiplyExact(thousandths, factor));
    } catch (ArithmeticException e) {
      throw overflow(this + " x " + factor);
    }
  }

  private static CreditOverflowException overflow(String arithmetic) {
    return new CreditOverflowException(arithmetic, arithmetic + " overflows");
  }

  public Credits negate() {
    return ZERO.minus(this);
  }

  public Credits min(Credits other) {
    return compareTo(Checks.nonNull(other, "credits")) <= 0 ? this : other;
  }

  public Credits max(Credits other) {
    return compareTo(Checks.nonNull(other, "credits")) >= 0 ? this : other;
  }

  public boolean isZero() {
    return thousandths == 0;
  }

  public boolean isPositive() {
    return thousandths > 0;
  }

  public boolean isNegative() {
    return thousandths < 0;
  }

  public boolean isLessThan(Credits other) {
    return thousandths < Checks.nonNull(other, "credits").thousandths;
  }

  @Override
  public int compareTo(Credits other) {
    return Long.compare(thousandths, other.thousandths);
  }

  /** The plain decimal, without trailing zeros: {@code "29.7"}, {@code "30"}, {@code "-0.005"}. */
  @Override
  public String toString() {
    return BigDecimal.valueOf(thousandths, 3).stripTrailingZeros().toPlainString();
  }
}
