package dev.creditgate.model;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * How the meter got to a cost, as data a UI renders itself or as the help article's sentence
 * ({@link #sentence()}: {@code "0.1 base + 2 x 0.1 per 1,000 tokens = 0.3 credits"}). Every
 * {@code Decision} and {@code HoldSettlement} carries one; {@link Cost#explain(long)} makes one for
 * a price list.
 *
 * <p><b>The arithmetic, exactly as the gate charges.</b> Credits are whole thousandths (the credit
 * unit, 0.001). The rate part is {@code rate x units / blockSize}, rounded <em>up</em> to the credit
 * unit once ({@link #ratePart()}; {@link #roundedUp()} says whether there was a fraction of a
 * thousandth to round); {@link #metered()} is {@code base + ratePart}. A capture then charges
 * {@link #share()} basis points of it (the outcome policy's share, never below its floor), rounded
 * up to the credit unit once more ({@link #shareRoundedUp()}): {@link #total()}. A charge, a check
 * or a reserve charges all of it (a share of 10000). A fixed cost is {@code rate} per unit
 * ({@code blockSize} 1, no base), a free one nothing.
 *
 * <p>The record is validated: every derived component must be what the terms give, so a breakdown
 * read back from JSON or a store always adds up.
 *
 * @param kind how the operation is priced, or {@link Kind#NOT_ITEMIZED} for an answer recorded
 *     before creditgate itemized costs
 * @param units the quantity priced: units of a fixed cost, tokens (or other units) of a metered one
 * @param base the credits every use of a metered operation costs; zero for the other kinds
 * @param rate the credits per block of a metered operation, per unit of a fixed one; zero for a
 *     free one
 * @param blockSize the units a block of a metered operation has ({@code 1000}); 1 for the other
 *     kinds
 * @param ratePart {@code rate x units / blockSize}, rounded up to the credit unit
 * @param roundedUp whether {@code ratePart} was rounded up (the exact product had a fraction of a
 *     thousandth)
 * @param metered {@code base + ratePart}: the operation's cost before any outcome's share
 * @param share the basis points of {@code metered} charged: 10000 (all of it) but for a capture,
 *     whose outcome may be charged a share (see {@link OutcomePolicy})
 * @param shareRoundedUp whether applying the share left a fraction of a thousandth, rounded up
 * @param total what is charged (for a capture: due): {@code metered x share / 10000}, rounded up
 */
public record CostBreakdown(Kind kind, long units, Credits base, Credits rate, long blockSize, Credits ratePart,
    boolean roundedUp, Credits metered, int share, boolean shareRoundedUp, Credits total) {

  /** How the operation was priced. */
  public enum Kind {
    /** Costs nothing (publishing, serving the live app, ...). */
    FREE,
    /** A fixed price per unit ({@link Cost.Fixed}). */
    FIXED,
    /** A base plus a rate per block of units ({@link Cost.Metered}). */
    METERED,
    /**
     * Only the total is known: an answer recorded by creditgate 0.2 or earlier, before costs were
     * itemized. Its terms are zero, its {@code metered} is its {@code total}.
     */
    NOT_ITEMIZED
  }

  private static final BigInteger ALL = BigInteger.valueOf(OutcomePolicy.ALL);

  /**
   * Checks that the breakdown adds up.
   *
   * @param kind how the operation is priced
   * @param units the quantity priced, zero or more
   * @param base the metered base
   * @param rate the rate per block or unit
   * @param blockSize the units of a block
   * @param ratePart the rate part, rounded up
   * @param roundedUp whether the rate part was rounded
   * @param metered base plus rate part
   * @param share the basis points charged, 0..10000
   * @param shareRoundedUp whether the share was rounded
   * @param total what is charged
   * @throws InvalidRequestException naming the component that is null, out of range, or not what
   *     the terms give
   */
  public CostBreakdown {
    Checks.nonNull(kind, "kind");
    Checks.nonNull(base, "base");
    Checks.nonNull(rate, "rate");
    Checks.nonNull(ratePart, "ratePart");
    Checks.nonNull(metered, "metered");
    Checks.nonNull(total, "total");
    Checks.nonNegative(units, "units");
    if (share < 0 || share > OutcomePolicy.ALL) {
      throw new InvalidRequestException("share", Integer.toString(share),
          "a share must be 0..10000 basis points but was " + share);
    }
    if (kind == Kind.NOT_ITEMIZED) {
      requireEqual("base", Credits.ZERO, base);
      requireEqual("rate", Credits.ZERO, rate);
      requireEqual("blockSize", 1L, blockSize);
      requireEqual("ratePart", Credits.ZERO, ratePart);
      requireEqual("roundedUp", false, roundedUp);
      requireEqual("metered", total, metered);
      requireEqual("share", OutcomePolicy.ALL, share);
      requireEqual("shareRoundedUp", false, shareRoundedUp);
    } else {
      Cost terms = terms(kind, base, rate, blockSize);
      Rounded part = ratePartOf(terms, units);
      requireEqual("ratePart", part.value, ratePart);
      requireEqual("roundedUp", part.rounded, roundedUp);
      requireEqual("metered", base.plus(part.value), metered);
      Rounded due = shareOf(metered, share, units);
      requireEqual("shareRoundedUp", due.rounded, shareRoundedUp);
      requireEqual("total", due.value, total);
    }
  }

  /** A result rounded up to the credit unit, and whether it had a fraction to round. */
  private record Rounded(Credits value, boolean rounded) {}

  /** {@code rate x units / blockSize} of the terms, rounded up once; for a fixed cost {@code each x units}. */
  private static Rounded ratePartOf(Cost cost, long units) {
    if (cost instanceof Cost.Fixed fixed) {
      return new Rounded(fixed.each().times(units), false);
    }
    if (cost instanceof Cost.Metered m) {
      BigInteger[] q = BigInteger.valueOf(m.perBlock().thousandths()).multiply(BigInteger.valueOf(units))
          .divideAndRemainder(BigInteger.valueOf(m.blockSize()));
      boolean rounded = q[1].signum() != 0;
      return new Rounded(thousandths(rounded ? q[0].add(BigInteger.ONE) : q[0], units), rounded);
    }
    return new Rounded(Credits.ZERO, false);
  }

  /** {@code basisPoints} of {@code metered}, rounded up once, as {@link OutcomePolicy#charge} charges it. */
  private static Rounded shareOf(Credits metered, int basisPoints, long units) {
    BigInteger[] q = BigInteger.valueOf(metered.thousandths()).multiply(BigInteger.valueOf(basisPoints))
        .divideAndRemainder(ALL);
    boolean rounded = q[1].signum() != 0;
    return new Rounded(thousandths(rounded ? q[0].add(BigInteger.ONE) : q[0], units), rounded);
  }

  /**
   * The breakdown of {@code units} of an operation priced at {@code cost}, charged in full: what
   * {@link Cost#of(long)} charges, step by step.
   *
   * @param cost the operation's terms
   * @param units the quantity, zero or more (zero units of a fixed cost cost nothing)
   * @return the breakdown, its {@link #total()} equal to {@code cost.of(units)} wherever that is
   *     defined
   * @throws InvalidRequestException if {@code cost} is null or {@code units} negative
   * @throws CreditOverflowException if the cost does not fit
   */
  public static CostBreakdown of(Cost cost, long units) {
    Checks.nonNull(cost, "cost");
    Checks.nonNegative(units, "units");
    Rounded part = ratePartOf(cost, units);
    Kind kind = cost instanceof Cost.Fixed ? Kind.FIXED : cost instanceof Cost.Metered ? Kind.METERED : Kind.FREE;
    Credits base = cost instanceof Cost.Metered m ? m.base() : Credits.ZERO;
    Credits rate = cost instanceof Cost.Fixed f ? f.each() : cost instanceof Cost.Metered m ? m.perBlock() : Credits.ZERO;
    long blockSize = cost instanceof Cost.Metered m ? m.blockSize() : 1;
    Credits metered = base.plus(part.value);
    return new CostBreakdown(kind, units, base, rate, blockSize, part.value, part.rounded, metered, OutcomePolicy.ALL,
        false, metered);
  }

  /**
   * The breakdown of an answer that kept only its total (see {@link Kind#NOT_ITEMIZED}).
   *
   * @param units the quantity the answer names
   * @param total its cost
   * @return a breakdown of that total alone
   * @throws InvalidRequestException if {@code total} is null or {@code units} negative
   */
  public static CostBreakdown notItemized(long units, Credits total) {
    return new CostBreakdown(Kind.NOT_ITEMIZED, units, Credits.ZERO, Credits.ZERO, 1, Credits.ZERO, false,
        Checks.nonNull(total, "total"), OutcomePolicy.ALL, false, total);
  }

  /**
   * This breakdown with {@code basisPoints} of {@link #metered()} charged instead: a capture's
   * outcome share.
   *
   * @param basisPoints the share charged, 0..10000 (the outcome's share, or the policy's floor if
   *     higher)
   * @return the breakdown whose total is the share, rounded up to the credit unit
   * @throws InvalidRequestException if the share is outside 0..10000, or this is not itemized
   */
  public CostBreakdown withShare(int basisPoints) {
    if (basisPoints < 0 || basisPoints > OutcomePolicy.ALL) {
      throw new InvalidRequestException("share", Integer.toString(basisPoints),
          "a share must be 0..10000 basis points but was " + basisPoints);
    }
    if (kind == Kind.NOT_ITEMIZED) {
      throw new InvalidRequestException("kind", kind.name(), "a breakdown that is not itemized has no share");
    }
    Rounded due = shareOf(metered, basisPoints, units);
    return new CostBreakdown(kind, units, base, rate, blockSize, ratePart, roundedUp, metered, basisPoints,
        due.rounded, due.value);
  }

  /**
   * The terms the cost was priced at.
   *
   * @return the {@link Cost} this breakdown applies, or empty for {@link Kind#NOT_ITEMIZED}
   */
  public Optional<Cost> pricing() {
    return kind == Kind.NOT_ITEMIZED ? Optional.empty() : Optional.of(terms(kind, base, rate, blockSize));
  }

  /**
   * Whether the total is the whole metered cost (no outcome's share was applied).
   *
   * @return {@code true} for a share of 10000 basis points
   */
  public boolean isFullShare() {
    return share == OutcomePolicy.ALL;
  }

  /**
   * The help article's sentence, with metered units called tokens.
   *
   * @return for example {@code "0.1 base + 2 x 0.1 per 1,000 tokens = 0.3 credits"},
   *     {@code "3 x 2 credits = 6 credits"}, {@code "free: 0 credits"}, or for a capture's share
   *     {@code "(0.1 base + 2 x 0.1 per 1,000 tokens = 0.3 credits) x 50% = 0.15 credits"}
   */
  public String sentence() {
    return sentence("tokens");
  }

  /**
   * The help article's sentence, in English, with metered units called {@code unitName}. Numbers
   * are written as the article writes them: credits as exact decimals, counts with a comma every
   * three digits. A rounding to the credit unit is said where it happened.
   *
   * @param unitName what a metered operation's units are called, plural: {@code "tokens"},
   *     {@code "seconds"}
   * @return the sentence (see {@link #sentence()})
   * @throws InvalidRequestException if {@code unitName} is null
   */
  public String sentence(String unitName) {
    Checks.nonNull(unitName, "unitName");
    String meteredText = meteredSentence(unitName);
    if (isFullShare()) {
      return meteredText;
    }
    return "(" + meteredText + ") x " + percent(share) + " = " + total + " credits"
        + (shareRoundedUp ? " (rounded up to the credit unit, 0.001)" : "");
  }

  private String meteredSentence(String unitName) {
    switch (kind) {
      case FREE:
        return "free: 0 credits";
      case NOT_ITEMIZED:
        return metered + " credits (not itemized: recorded before creditgate explained costs)";
      case FIXED:
        return units == 1 ? rate + " credits" : grouped(units) + " x " + rate + " credits = " + metered + " credits";
      default:
        String rounding = roundedUp ? " (rounded up to the credit unit, 0.001)" : "";
        String perBlock = rate + " per " + grouped(blockSize) + " " + unitName;
        String ratePhrase;
        try {
          BigDecimal blocks = BigDecimal.valueOf(units).divide(BigDecimal.valueOf(blockSize));
          ratePhrase = blocks.stripTrailingZeros().toPlainString() + " x " + perBlock;
        } catch (ArithmeticException e) {
          ratePhrase = grouped(units) + " " + unitName + " at " + perBlock;
        }
        return (base.isZero() ? "" : base + " base + ") + ratePhrase + " = " + metered + " credits" + rounding;
    }
  }

  private static String grouped(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }

  private static String percent(int basisPoints) {
    return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString() + "%";
  }

  private static Cost terms(Kind kind, Credits base, Credits rate, long blockSize) {
    switch (kind) {
      case FREE:
        requireEqual("base", Credits.ZERO, base);
        requireEqual("rate", Credits.ZERO, rate);
        requireEqual("blockSize", 1L, blockSize);
        return Cost.free();
      case FIXED:
        requireEqual("base", Credits.ZERO, base);
        requireEqual("blockSize", 1L, blockSize);
        return Cost.fixed(rate);
      default:
        return Cost.metered(base, rate, blockSize);
    }
  }

  private static Credits thousandths(BigInteger value, long units) {
    if (value.bitLength() > 63) {
      throw new CreditOverflowException(Long.toString(units), "the cost of quantity " + units + " overflows");
    }
    return Credits.ofThousandths(value.longValue());
  }

  private static void requireEqual(String name, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      throw new InvalidRequestException(name, String.valueOf(actual),
          "a cost breakdown's " + name + " must be " + expected + " but was " + actual);
    }
  }
}
