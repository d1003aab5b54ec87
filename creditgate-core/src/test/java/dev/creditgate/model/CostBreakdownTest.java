package dev.creditgate.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.InvalidRequestException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** How the meter works, as the help article's "What are credits?" tells it, and as the gate charges. */
class CostBreakdownTest {
  private static final CostTable TABLE = CostTable.defaults();

  @Example
  void aSmallTweakOfTwoThousandTokensIsTheArticlesSentence() {
    CostBreakdown b = TABLE.costOf(Operation.AI_CHAT_MESSAGE).explain(2_000);
    assertEquals("0.1 base + 2 x 0.1 per 1,000 tokens = 0.3 credits", b.sentence());
    assertEquals(CostBreakdown.Kind.METERED, b.kind());
    assertEquals(2_000, b.units());
    assertEquals(Credits.parse("0.1"), b.base());
    assertEquals(Credits.parse("0.1"), b.rate());
    assertEquals(1_000, b.blockSize());
    assertEquals(Credits.parse("0.2"), b.ratePart());
    assertFalse(b.roundedUp());
    assertEquals(Credits.parse("0.3"), b.metered());
    assertEquals(Credits.parse("0.3"), b.total());
    assertTrue(b.isFullShare());
    assertEquals(java.util.Optional.of(TABLE.costOf(Operation.AI_CHAT_MESSAGE)), b.pricing());
  }

  @Example
  void aFractionOfACreditUnitIsRoundedUpOnceAndTheSentenceSaysSo() {
    CostBreakdown b = TABLE.costOf(Operation.AI_CHAT_MESSAGE).explain(1_801);
    assertEquals(Credits.parse("0.181"), b.ratePart(), "0.1801 rounded up");
    assertTrue(b.roundedUp());
    assertEquals("0.1 base + 1.801 x 0.1 per 1,000 tokens = 0.281 credits (rounded up to the credit unit, 0.001)",
        b.sentence());
    assertEquals("0.1 base + 1.801 x 0.1 per 1,000 seconds = 0.281 credits (rounded up to the credit unit, 0.001)",
        b.sentence("seconds"));
  }

  @Example
  void blocksThatAreNoDecimalAreSaidAsUnitsAtTheRate() {
    CostBreakdown b = Cost.metered(Credits.ZERO, Credits.ofThousandths(1), 3).explain(10);
    assertEquals("10 tokens at 0.001 per 3 tokens = 0.004 credits (rounded up to the credit unit, 0.001)",
        b.sentence());
  }

  @Example
  void fixedAndFreeCostsExplainThemselves() {
    assertEquals("3 x 2 credits = 6 credits", TABLE.costOf(Operation.GENERATE_IMAGE).explain(3).sentence());
    assertEquals("2 credits", TABLE.costOf(Operation.GENERATE_IMAGE).explain(1).sentence());
    assertEquals("1,200 x 5 credits = 6000 credits",
        TABLE.costOf(Operation.CONNECT_INTEGRATION).explain(1_200).sentence());
    CostBreakdown free = TABLE.costOf(Operation.PUBLISH_UPDATE).explain(1);
    assertEquals("free: 0 credits", free.sentence());
    assertEquals(CostBreakdown.Kind.FREE, free.kind());
    assertEquals(Credits.ZERO, free.total());
  }

  @Example
  void aCapturesShareIsSaidAfterTheMeteredCost() {
    CostBreakdown half = TABLE.costOf(Operation.AI_CHAT_MESSAGE).explain(2_000).withShare(5_000);
    assertEquals("(0.1 base + 2 x 0.1 per 1,000 tokens = 0.3 credits) x 50% = 0.15 credits", half.sentence());
    CostBreakdown rounded = TABLE.costOf(Operation.AI_CHAT_MESSAGE).explain(1_801).withShare(2_500);
    assertEquals(Credits.parse("0.071"), rounded.total(), "0.07025 rounded up");
    assertTrue(rounded.shareRoundedUp());
    assertTrue(rounded.sentence().endsWith("x 25% = 0.071 credits (rounded up to the credit unit, 0.001)"),
        rounded.sentence());
    assertEquals("(2 credits) x 12.5% = 0.25 credits",
        TABLE.costOf(Operation.GENERATE_IMAGE).explain(1).withShare(1_250).sentence());
  }

  @Example
  void anAnswerRecordedBeforeCostsWereItemizedSaysItsTotalOnly() {
    CostBreakdown b = CostBreakdown.notItemized(1_800, Credits.parse("0.28"));
    assertEquals("0.28 credits (not itemized: recorded before creditgate explained costs)", b.sentence());
    assertEquals(java.util.Optional.empty(), b.pricing());
    assertThrows(InvalidRequestException.class, () -> b.withShare(5_000));
  }

  @Example
  void aBreakdownThatDoesNotAddUpIsRefusedNamingTheComponent() {
    CostBreakdown b = TABLE.costOf(Operation.AI_CHAT_MESSAGE).explain(2_000);
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> new CostBreakdown(b.kind(),
        b.units(), b.base(), b.rate(), b.blockSize(), b.ratePart(), b.roundedUp(), b.metered(), b.share(),
        b.shareRoundedUp(), Credits.parse("0.301")));
    assertEquals(java.util.Optional.of("total"), e.argument());
    assertEquals(java.util.Optional.of("ratePart"), assertThrows(InvalidRequestException.class, () -> new CostBreakdown(b.kind(), b.units(),
        b.base(), b.rate(), b.blockSize(), Credits.parse("0.21"), b.roundedUp(), b.metered(), b.share(),
        b.shareRoundedUp(), b.total())).argument());
    assertEquals(java.util.Optional.of("base"), assertThrows(InvalidRequestException.class, () -> new CostBreakdown(
        CostBreakdown.Kind.FIXED, 1, Credits.ofThousandths(1), Credits.of(2), 1, Credits.of(2), false,
        Credits.of(2), OutcomePolicy.ALL, false, Credits.of(2))).argument());
    assertEquals(java.util.Optional.of("share"), assertThrows(InvalidRequestException.class, () -> b.withShare(10_001)).argument());
    assertEquals(java.util.Optional.of("units"), assertThrows(InvalidRequestException.class,
        () -> TABLE.costOf(Operation.GENERATE_IMAGE).explain(-1)).argument());
  }

  @Provide
  Arbitrary<Cost> costs() {
    return Arbitraries.oneOf(Arbitraries.just(Cost.free()),
        Arbitraries.longs().between(1, 1_000_000).map(t -> Cost.fixed(Credits.ofThousandths(t))),
        Combinators.combine(Arbitraries.longs().between(0, 1_000_000), Arbitraries.longs().between(1, 1_000_000),
            Arbitraries.oneOf(Arbitraries.of(1L, 3L, 7L, 1000L, 1024L), Arbitraries.longs().between(1, 1_000_000)))
            .as((base, rate, block) -> Cost.metered(Credits.ofThousandths(base), Credits.ofThousandths(rate), block)));
  }

  @Property(tries = 1000)
  void theBreakdownsTotalIsWhatTheCostCharges(@ForAll("costs") Cost cost,
      @ForAll @LongRange(min = 1, max = 1_000_000_000L) long units) {
    CostBreakdown b = cost.explain(units);
    assertEquals(cost.of(units), b.total());
    assertEquals(b.base().plus(b.ratePart()), b.metered());
    assertEquals(b, new CostBreakdown(b.kind(), b.units(), b.base(), b.rate(), b.blockSize(), b.ratePart(),
        b.roundedUp(), b.metered(), b.share(), b.shareRoundedUp(), b.total()), "its components rebuild it");
    assertEquals(java.util.Optional.of(cost), b.pricing());
  }

  @Property(tries = 1000)
  void aSharesTotalIsWhatTheOutcomePolicyCharges(@ForAll("costs") Cost cost,
      @ForAll @LongRange(min = 1, max = 1_000_000_000L) long units, @ForAll @IntRange(min = 0, max = 10_000) int share,
      @ForAll @IntRange(min = 0, max = 10_000) int floor) {
    int lowest = Math.min(share, floor);
    OutcomePolicy policy = OutcomePolicy.builder().share(Outcome.Kind.SUCCEEDED, share)
        .share(Outcome.Kind.FAILED_AT_MODEL, share).share(Outcome.Kind.PLATFORM_ERROR, share)
        .share(Outcome.Kind.RETRY, share).floor(lowest).build();
    Credits metered = cost.of(units);
    CostBreakdown b = cost.explain(units).withShare(Math.max(share, lowest));
    assertEquals(policy.charge(Outcome.succeeded(), metered), b.total());
    assertEquals(metered, b.metered());
  }
}
