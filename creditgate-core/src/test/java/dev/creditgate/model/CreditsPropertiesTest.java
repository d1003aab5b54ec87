package dev.creditgate.model;

import dev.creditgate.CreditOverflowException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Credits arithmetic is exact or throws: every result is checked against {@link BigInteger}
 * arithmetic on the thousandths, so a wrapped result can never pass.
 */
class CreditsPropertiesTest {

  private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** Thousandths from the whole long range, biased towards the edges where overflow happens. */
  @Provide
  Arbitrary<Long> thousandths() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs()),
        Tuple.of(2, Arbitraries.longs().between(-1_000_000, 1_000_000)),
        Tuple.of(3, Arbitraries.longs().between(Long.MAX_VALUE - 1_000_000, Long.MAX_VALUE)),
        Tuple.of(3, Arbitraries.longs().between(Long.MIN_VALUE, Long.MIN_VALUE + 1_000_000)),
        Tuple.of(1, Arbitraries.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MAX_VALUE / 2, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2 + 1, Long.MIN_VALUE / 2 - 1)));
  }

  @Provide
  Arbitrary<Long> factors() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.longs()),
        Tuple.of(3, Arbitraries.longs().between(-10_000, 10_000)),
        Tuple.of(1, Arbitraries.of(0L, 1L, -1L, 2L, -2L, Long.MAX_VALUE, Long.MIN_VALUE)));
  }

  /** Either the exact value fits and is returned, or a {@link CreditOverflowException} is thrown. */
  private static void assertExactOrOverflow(BigInteger exact, Supplier<Credits> operation) {
    if (exact.compareTo(MIN) >= 0 && exact.compareTo(MAX) <= 0) {
      assertEquals(exact.longValueExact(), operation.get().thousandths(), "exact result " + exact);
    } else {
      assertThrows(CreditOverflowException.class, operation::get, "result " + exact + " does not fit");
    }
  }

  @Property(tries = 1000)
  void plusIsExactOrThrowsCreditOverflow_neverWraps(
      @ForAll("thousandths") long a, @ForAll("thousandths") long b) {
    assertExactOrOverflow(BigInteger.valueOf(a).add(BigInteger.valueOf(b)),
        () -> Credits.ofThousandths(a).plus(Credits.ofThousandths(b)));
  }

  @Property(tries = 1000)
  void minusIsExactOrThrowsCreditOverflow_neverWraps(
      @ForAll("thousandths") long a, @ForAll("thousandths") long b) {
    assertExactOrOverflow(BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)),
        () -> Credits.ofThousandths(a).minus(Credits.ofThousandths(b)));
  }

  @Property(tries = 1000)
  void timesIsExactOrThrowsCreditOverflow_neverWraps(
      @ForAll("thousandths") long a, @ForAll("factors") long factor) {
    assertExactOrOverflow(BigInteger.valueOf(a).multiply(BigInteger.valueOf(factor)),
        () -> Credits.ofThousandths(a).times(factor));
  }

  @Property(tries = 500)
  void negateIsExactOrThrowsCreditOverflow_neverWraps(@ForAll("thousandths") long a) {
    assertExactOrOverflow(BigInteger.valueOf(a).negate(), () -> Credits.ofThousandths(a).negate());
  }

  @Property(tries = 500)
  void wholeCreditsAreExactThousandthsOrThrowCreditOverflow_neverWrap(@ForAll("factors") long credits) {
    assertExactOrOverflow(BigInteger.valueOf(credits).multiply(BigInteger.valueOf(1000)),
        () -> Credits.of(credits));
  }

  @Property(tries = 1000)
  void parseOfToStringRoundTrips(@ForAll("thousandths") long a) {
    Credits credits = Credits.ofThousandths(a);
    assertEquals(credits, Credits.parse(credits.toString()));
  }

  @Property(tries = 500)
  void toStringIsTheExactDecimalWithoutTrailingZeros(@ForAll("thousandths") long a) {
    String text = Credits.ofThousandths(a).toString();
    BigDecimal value = new BigDecimal(text);
    assertEquals(0, value.compareTo(BigDecimal.valueOf(a, 3)), text);
    assertEquals(-1, text.indexOf('E'), "plain notation: " + text);
    if (text.contains(".")) {
      assertFalse(text.endsWith("0"), "no trailing zeros: " + text);
    }
  }

  @Property(tries = 500)
  void parseOfADecimalOutsideTheRangeThrowsCreditOverflow(
      @ForAll("thousandths") long a, @ForAll("factors") long beyond) {
    // a decimal with at most three places whose thousandths lie outside the long range
    BigInteger outside = a >= 0
        ? MAX.add(BigInteger.ONE).add(BigInteger.valueOf(a)).add(BigInteger.valueOf(beyond).abs())
        : MIN.subtract(BigInteger.ONE).add(BigInteger.valueOf(a)).subtract(BigInteger.valueOf(beyond).abs());
    String text = new BigDecimal(outside, 3).toPlainString();
    assertThrows(CreditOverflowException.class, () -> Credits.parse(text), text);
  }
}
