package dev.creditgate.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.InvalidRequestException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a host configures as data: plans, packs, custom pack terms, money and the cost table. */
class CatalogAndCostTableTest {

  @Test
  void packsAreOfferedSmallestFirstWhateverOrderTheyWereAddedIn() {
    Catalog catalog = Catalog.builder()
        .plan(new Plan("free", "Free", Money.usd("0"), Credits.of(30), 1, Set.of()))
        .pack(new Pack("large", "Large", Money.usd("100"), Credits.of(1_000)))
        .pack(new Pack("small", "Small", Money.usd("10"), Credits.of(100)))
        .pack(new Pack("medium", "Medium", Money.usd("25"), Credits.of(250)))
        .build();
    assertEquals(List.of("small", "medium", "large"), catalog.packs().stream().map(Pack::id).toList());
    assertEquals("medium", catalog.smallestPackCovering(Credits.of(101)).orElseThrow().id());
  }

  @Test
  void aPlanLimitMayBeZeroAndSeatsMayBeAsManyAsAnIntHolds() {
    Plan plan = new Plan("big", "Big", Money.usd("1"), Credits.of(1), Set.of(),
        Map.of("projects", 0L, Plan.SEATS, (long) Integer.MAX_VALUE));
    assertEquals(OptionalLong.of(0), plan.limit("projects"));
    assertEquals(Integer.MAX_VALUE, plan.seats());

    InvalidRequestException tooMany = assertThrows(InvalidRequestException.class, () -> new Plan("big", "Big",
        Money.usd("1"), Credits.of(1), Set.of(), Map.of(Plan.SEATS, Integer.MAX_VALUE + 1L)));
    assertEquals(Optional.of(Long.toString(Integer.MAX_VALUE + 1L)), tooMany.value());
    assertThrows(InvalidRequestException.class, () -> new Plan("none", "None", Money.usd("1"), Credits.of(1),
        Set.of(), Map.of(Plan.SEATS, 0L)));
    InvalidRequestException negative = assertThrows(InvalidRequestException.class, () -> new Plan("neg", "Neg",
        Money.usd("1"), Credits.of(1), Set.of(), Map.of("projects", -1L)));
    assertEquals(Optional.of("-1"), negative.value());
  }

  @Test
  void aPriceUsesEveryDigitItsCurrencyAllows() {
    Money most = Money.of("9223372036854775807", "JPY"); // no minor unit: the whole long
    assertEquals(Long.MAX_VALUE, most.minorUnits());
    assertThrows(dev.creditgate.CreditOverflowException.class, () -> Money.of("9223372036854775808", "JPY"));
    assertEquals(Long.MAX_VALUE, Money.of("92233720368547758.07", "USD").minorUnits());
  }

  @Test
  void theCheapestCustomPriceMayBeExactlyTheHighestPrice() {
    CustomPackTerms terms = new CustomPackTerms(Money.usd("5"), Money.usd("1000"), Credits.of(10));
    assertEquals(Optional.of(Money.usd("1000")), terms.cheapestPriceFor(Credits.of(10_000)));
    assertEquals(Optional.of(Money.usd("999.99")), terms.cheapestPriceFor(Credits.parse("9999.9")));
    assertEquals(Optional.empty(), terms.cheapestPriceFor(Credits.parse("10000.001")));
    assertEquals(Optional.of(Money.usd("5")), terms.cheapestPriceFor(Credits.of(1)), "never below the lowest price");
  }

  @Test
  void customPackTermsAndPricesAreInOneCurrency() {
    InvalidRequestException mixed = assertThrows(InvalidRequestException.class,
        () -> new CustomPackTerms(Money.usd("5"), Money.of("1000", "EUR"), Credits.of(10)));
    assertEquals(Optional.of("EUR"), mixed.value());
    CustomPackTerms terms = new CustomPackTerms(Money.usd("5"), Money.usd("1000"), Credits.of(10));
    assertThrows(InvalidRequestException.class, () -> terms.creditsFor(Money.of("10", "EUR")));
    assertEquals(Credits.of(100), terms.creditsFor(Money.usd("10")));
  }

  @Test
  void aCostTableReadFromPropertiesPricesEachKindOfCost() {
    CostTable table = CostTable.fromProperties(new StringReader(String.join("\n",
        "ai-chat-message = metered 0.1 + 0.1 per 1000",
        "generate-image = 2",
        "publish-update = free")));
    assertEquals(Map.of(
            Operation.AI_CHAT_MESSAGE, Cost.metered(Credits.parse("0.1"), Credits.parse("0.1"), 1000),
            Operation.GENERATE_IMAGE, Cost.fixed(Credits.of(2)),
            Operation.PUBLISH_UPDATE, Cost.free()),
        table.costs());
    assertEquals(Credits.parse("0.3"), table.costOf(Operation.AI_CHAT_MESSAGE).of(2_000));
    assertEquals("CostTable{ai-chat-message=metered 0.1 + 0.1 per 1000, generate-image=2, publish-update=free}",
        table.toString());
  }

  @Test
  void aMalformedMeteredCostInPropertiesIsRefused() {
    for (String spec : List.of("metered 0.1 - 0.1 per 1000", "metered 0.1 + 0.1 by 1000", "metered 0.1 + 0.1 per",
        "metered 0.1 + 0.1 per 1000 tokens")) {
      assertThrows(InvalidRequestException.class,
          () -> CostTable.fromProperties(new StringReader("ai-chat-message = " + spec)), spec);
    }
  }

  @Test
  void aCostDescribesItself() {
    assertEquals("free", Cost.free().toString());
    assertEquals("2", Cost.fixed(Credits.of(2)).toString());
    assertEquals("metered 0.1 + 0.1 per 1000", Cost.metered(Credits.parse("0.1"), Credits.parse("0.1"), 1000).toString());
  }

  @Test
  void aCostReadsBackFromItsOwnText() {
    for (Cost cost : List.of(Cost.free(), Cost.fixed(Credits.parse("2.5")),
        Cost.metered(Credits.ZERO, Credits.parse("0.05"), 1000), Cost.metered(Credits.parse("0.1"), Credits.parse("0.1"), 1))) {
      assertEquals(cost, Cost.parse(cost.toString()));
      assertEquals(cost, Cost.parse("  " + cost + " "));
    }
    assertEquals(Cost.free(), Cost.parse("FREE"));
  }

  @Test
  void aCostThatDoesNotParseIsRefusedNamingItsText() {
    for (String text : List.of("", "cheap", "-2", "0", "metered 0.1 + 0.1 per 0", "metered 0.1 + 0.1 per x",
        "metered 0.1 plus 0.1 per 1000")) {
      InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> Cost.parse(text), text);
      assertEquals(java.util.Optional.of(text), refused.value(), text);
      assertTrue(refused.getMessage().contains("'" + text + "'"), refused.getMessage());
    }
  }
}
