package dev.creditgate.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.InvalidRequestException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A breakdown read from JSON or built by hand is checked against its own terms: each component that
 * is not what the terms give is refused by name. And a promotion's scope decides what it pays for.
 */
class CostBreakdownRefusesWhatDoesNotAddUpTest {
  private static final Credits ONE = Credits.ofThousandths(1);

  @Test
  void aMeteredBreakdownWithAnyComponentChangedIsRefusedNamingIt() {
    // 0.1 + 1,801 x 0.1 per 1,000 = 0.1 + 0.1801 -> 0.181 (rounded up), 0.281; half of it -> 0.141 (rounded up).
    CostBreakdown b = Cost.metered(Credits.parse("0.1"), Credits.parse("0.1"), 1000).explain(1801).withShare(5000);
    assertEquals(Credits.parse("0.141"), b.total());
    assertTrue(b.roundedUp());
    assertTrue(b.shareRoundedUp());
    Map<String, Function<CostBreakdown, CostBreakdown>> tampered = Map.of(
        "ratePart", x -> copy(x, x.ratePart().plus(ONE), x.roundedUp(), x.metered(), x.shareRoundedUp(), x.total()),
        "roundedUp", x -> copy(x, x.ratePart(), false, x.metered(), x.shareRoundedUp(), x.total()),
        "metered", x -> copy(x, x.ratePart(), x.roundedUp(), x.metered().plus(ONE), x.shareRoundedUp(), x.total()),
        "shareRoundedUp", x -> copy(x, x.ratePart(), x.roundedUp(), x.metered(), false, x.total()),
        "total", x -> copy(x, x.ratePart(), x.roundedUp(), x.metered(), x.shareRoundedUp(), x.total().plus(ONE)));
    tampered.forEach((component, change) -> {
      InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> change.apply(b), component);
      assertEquals(Optional.of(component), refused.argument(), refused.getMessage());
    });
  }

  @Test
  void aBreakdownNotItemizedCarriesNoTerms() {
    CostBreakdown b = CostBreakdown.notItemized(3, Credits.of(2));
    Map<String, Function<CostBreakdown, CostBreakdown>> tampered = Map.of(
        "base", x -> new CostBreakdown(x.kind(), x.units(), ONE, x.rate(), x.blockSize(), x.ratePart(), x.roundedUp(),
            x.metered(), x.share(), x.shareRoundedUp(), x.total()),
        "rate", x -> new CostBreakdown(x.kind(), x.units(), x.base(), ONE, x.blockSize(), x.ratePart(), x.roundedUp(),
            x.metered(), x.share(), x.shareRoundedUp(), x.total()),
        "blockSize", x -> new CostBreakdown(x.kind(), x.units(), x.base(), x.rate(), 2, x.ratePart(), x.roundedUp(),
            x.metered(), x.share(), x.shareRoundedUp(), x.total()),
        "ratePart", x -> copy(x, ONE, x.roundedUp(), x.metered(), x.shareRoundedUp(), x.total()),
        "roundedUp", x -> copy(x, x.ratePart(), true, x.metered(), x.shareRoundedUp(), x.total()),
        "metered", x -> copy(x, x.ratePart(), x.roundedUp(), x.metered().plus(ONE), x.shareRoundedUp(), x.total()),
        "share", x -> new CostBreakdown(x.kind(), x.units(), x.base(), x.rate(), x.blockSize(), x.ratePart(),
            x.roundedUp(), x.metered(), 5000, x.shareRoundedUp(), x.total()),
        "shareRoundedUp", x -> copy(x, x.ratePart(), x.roundedUp(), x.metered(), true, x.total()));
    tampered.forEach((component, change) -> {
      InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> change.apply(b), component);
      assertEquals(Optional.of(component), refused.argument(), refused.getMessage());
    });
  }

  private static CostBreakdown copy(CostBreakdown x, Credits ratePart, boolean roundedUp, Credits metered,
      boolean shareRoundedUp, Credits total) {
    return new CostBreakdown(x.kind(), x.units(), x.base(), x.rate(), x.blockSize(), ratePart, roundedUp, metered,
        x.share(), shareRoundedUp, total);
  }

  @Test
  void aPromotionCoversEveryOperationUnlessScopedAndThenOnlyItsScope() {
    Promotion any = Promotion.of(Credits.of(5), Instant.parse("2026-02-01T00:00:00Z"), "welcome");
    assertTrue(any.covers(Operation.AI_CHAT_MESSAGE));
    Promotion images = any.scopedTo(Operation.GENERATE_IMAGE);
    assertTrue(images.covers(Operation.GENERATE_IMAGE));
    assertFalse(images.covers(Operation.AI_CHAT_MESSAGE));
  }
}
