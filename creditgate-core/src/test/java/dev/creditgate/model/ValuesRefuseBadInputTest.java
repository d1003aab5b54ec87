package dev.creditgate.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGateException;
import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The values a caller builds refuse bad input with a typed exception naming the value: never a raw
 * {@code NullPointerException}, {@code ArithmeticException} or other JDK exception. A price is never
 * negative, and a plan lists its features and limits in the order of their names.
 */
class ValuesRefuseBadInputTest {
  private static final Money FREE = Money.usd("0");

  // ------------------------------------------------------------------------------------ plan order

  @Test
  void aPlanListsItsFeaturesAndLimitsSortedByNameWhateverTheOrderTheyCameIn() {
    List<String> names = List.of("alpha", "beta", "custom-domains", "gamma", "private-projects", "zeta");
    List<String> backwards = new ArrayList<>(names);
    Collections.reverse(backwards);
    Set<String> reversed = new LinkedHashSet<>(backwards);
    Map<String, Long> limits = new LinkedHashMap<>();
    for (String name : backwards) {
      limits.put(name, (long) name.length());
    }

    Plan plan = new Plan("pro", "Pro", Money.usd("20"), Credits.of(150), reversed, limits);

    assertEquals(names, new ArrayList<>(plan.features()));
    List<String> limitNames = new ArrayList<>(names);
    limitNames.add(Plan.SEATS);
    limitNames.sort(null);
    assertEquals(limitNames, new ArrayList<>(plan.limits().keySet()), "seats included, in its place");
    assertEquals(plan, new Plan("pro", "Pro", Money.usd("20"), Credits.of(150), new HashSet<>(names),
        new HashMap<>(limits)), "equal whatever the order given");
    assertEquals(List.of(Catalog.CUSTOM_DOMAINS, Catalog.PRIORITY_SUPPORT, Catalog.PRIVATE_PROJECTS),
        new ArrayList<>(Catalog.defaults().plan("team").features()));
  }

  @Test
  void aPlansCollectionsCannotBeChanged() {
    Plan plan = new Plan("pro", "Pro", FREE, Credits.of(1), 2, Set.of("a"));
    assertThrows(UnsupportedOperationException.class, () -> plan.features().add("b"));
    assertThrows(UnsupportedOperationException.class, () -> plan.limits().put("b", 1L));
  }

  // ------------------------------------------------------------------------------------ money

  @Test
  void moneyIsNeverNegative() {
    InvalidRequestException parsed = assertThrows(InvalidRequestException.class, () -> Money.usd("-0.01"));
    assertTrue(parsed.getMessage().contains("'-0.01'") && parsed.getMessage().contains("negative"),
        parsed.getMessage());
    assertEquals(Optional.of("amount"), parsed.argument());
    assertEquals(Optional.of("-0.01"), parsed.value());

    InvalidRequestException built = assertThrows(InvalidRequestException.class,
        () -> new Money(-500, Currency.getInstance("EUR")));
    assertTrue(built.getMessage().contains("-500") && built.getMessage().contains("EUR"), built.getMessage());

    assertTrue(Money.usd("-0").isZero(), "minus zero is zero");
  }

  @Test
  void aNegativePriceCannotReachAPlanAPackOrCustomPackBounds() {
    assertThrows(InvalidRequestException.class,
        () -> new Plan("pro", "Pro", Money.usd("-20"), Credits.of(1), 1, Set.of()));
    assertThrows(InvalidRequestException.class, () -> new Pack("small", "Small", Money.usd("-10"), Credits.of(1)));
    assertThrows(InvalidRequestException.class,
        () -> new CustomPackTerms(Money.usd("-5"), Money.usd("10"), Credits.of(1)));
    InvalidRequestException zero = assertThrows(InvalidRequestException.class,
        () -> new CustomPackTerms(FREE, Money.usd("10"), Credits.of(1)));
    assertTrue(zero.getMessage().contains("$0.00"), zero.getMessage());
    assertEquals(Money.usd("0"), new Plan("free", "Free", FREE, Credits.of(1), 1, Set.of()).monthlyPrice(),
        "a price of zero is a free plan");
  }

  // ------------------------------------------------------------------------------------ factories

  static Stream<Arguments> badValues() {
    Credits one = Credits.of(1);
    Money ten = Money.usd("10");
    Plan pro = new Plan("pro", "Pro", ten, one, 1, Set.of("a"));
    CustomPackTerms terms = new CustomPackTerms(Money.usd("5"), Money.usd("100"), Credits.of(10));
    Set<String> withNull = new HashSet<>();
    withNull.add(null);
    Map<String, Long> nullName = new HashMap<>();
    nullName.put(null, 1L);
    Map<String, Long> nullLimit = new HashMap<>();
    nullLimit.put("projects", null);
    return Stream.of(
        bad("Credits.plus(null)", () -> one.plus(null), "credits must not be null"),
        bad("Credits.minus(null)", () -> one.minus(null), "credits must not be null"),
        bad("Credits.min(null)", () -> one.min(null), "credits must not be null"),
        bad("Credits.max(null)", () -> one.max(null), "credits must not be null"),
        bad("Credits.isLessThan(null)", () -> one.isLessThan(null), "credits must not be null"),
        bad("Credits.parse(null)", () -> Credits.parse(null), "credits must not be null"),
        bad("Money.of(null, USD)", () -> Money.of(null, "USD"), "amount must not be null"),
        bad("Money.of(1, null)", () -> Money.of("1", null), "currency must not be null"),
        bad("Money.of(1, usd)", () -> Money.of("1", "usd"), "'usd'"),
        bad("Money in another currency", () -> ten.compareTo(Money.of("1", "EUR")), "EUR"),
        bad("Plan with a null feature", () -> new Plan("p", "P", ten, one, 1, withNull), "plan 'p' feature must not be null"),
        bad("Plan with a blank feature", () -> new Plan("p", "P", ten, one, 1, Set.of(" ")), "plan 'p' feature", "' '"),
        bad("Plan with a null limit name", () -> new Plan("p", "P", ten, one, Set.of(), nullName),
            "plan 'p' limit name must not be null"),
        bad("Plan with a null limit", () -> new Plan("p", "P", ten, one, Set.of(), nullLimit), "projects", "null"),
        bad("Plan with a negative limit", () -> new Plan("p", "P", ten, one, Set.of(), Map.of("projects", -2L)),
            "projects", "-2"),
        bad("Plan with zero seats", () -> new Plan("p", "P", ten, one, 0, Set.of()), "seats", "was 0"),
        bad("Plan with more seats than an int", () -> new Plan("p", "P", ten, one, Set.of(),
            Map.of(Plan.SEATS, 1L + Integer.MAX_VALUE)), "seats", "2147483648"),
        bad("Plan with negative credits", () -> new Plan("p", "P", ten, Credits.of(-1), 1, Set.of()), "-1"),
        bad("Plan.hasFeature(null)", () -> pro.hasFeature(null), "feature must not be null"),
        bad("Plan.limit(null)", () -> pro.limit(null), "limit must not be null"),
        bad("Pack with no credits", () -> new Pack("p", "P", ten, Credits.ZERO), "pack 'p' credits", "0"),
        bad("Pack with a null price", () -> new Pack("p", "P", null, one), "price must not be null"),
        bad("Catalog.smallestPackCovering(null)", () -> Catalog.defaults().smallestPackCovering(null),
            "credits must not be null"),
        bad("Catalog.plan(null)", () -> Catalog.defaults().plan(null), "plan id must not be null"),
        bad("Catalog with a plan twice", () -> Catalog.builder().plan(pro).plan(pro).build(), "'pro' appears twice"),
        bad("Catalog without plans", () -> Catalog.builder().build(), "at least one plan"),
        bad("CustomPackTerms.cheapestPriceFor(null)", () -> terms.cheapestPriceFor(null), "credits must not be null"),
        bad("CustomPackTerms.creditsFor(null)", () -> terms.creditsFor(null), "price must not be null"),
        bad("CustomPackTerms with min above max", () -> new CustomPackTerms(Money.usd("9"), Money.usd("8"), one),
            "$9.00", "$8.00"),
        bad("CustomPackTerms in two currencies", () -> new CustomPackTerms(ten, Money.of("20", "EUR"), one), "EUR"),
        bad("CustomPackTerms with no rate", () -> new CustomPackTerms(ten, ten, Credits.ZERO), "rate", "0"),
        bad("Cost.fixed(null)", () -> Cost.fixed(null), "each must not be null"),
        bad("Cost.fixed(0)", () -> Cost.fixed(Credits.ZERO), "fixed cost", "0"),
        bad("Cost.fixed(-1)", () -> Cost.fixed(Credits.of(-1)), "fixed cost", "-1"),
        bad("Cost.metered with a negative base", () -> Cost.metered(Credits.of(-1), one, 1000), "base", "-1"),
        bad("Cost.metered with no rate", () -> Cost.metered(one, Credits.ZERO, 1000), "rate per block", "0"),
        bad("Cost.metered with no block", () -> Cost.metered(one, one, 0), "blockSize", "0"),
        bad("a fixed cost of 0 units", () -> Cost.fixed(one).of(0), "quantity", "was 0"),
        bad("a metered cost of -1 units", () -> Cost.metered(one, one, 1).of(-1), "quantity", "-1"),
        bad("CostTable.costOf(null)", () -> CostTable.defaults().costOf(null), "operation must not be null"),
        bad("CostTable.fromProperties(null)", () -> CostTable.fromProperties(null), "reader must not be null"),
        bad("OutcomePolicy.share(null)", () -> OutcomePolicy.defaults().share(null), "kind must not be null"),
        bad("OutcomePolicy share above 100%", () -> OutcomePolicy.builder().share(Outcome.Kind.RETRY, 10_001),
            "10001"),
        bad("OutcomePolicy without a share", () -> OutcomePolicy.builder().build(), "no share for"),
        bad("OutcomePolicy.charge(null, credits)", () -> OutcomePolicy.defaults().charge(null, one),
            "outcome must not be null"),
        bad("OverdraftPolicy.allows(null, credits)", () -> OverdraftPolicy.NONE.allows(null, one),
            "available must not be null"),
        bad("OverdraftPolicy.allows(credits, null)", () -> OverdraftPolicy.NONE.allows(one, null),
            "cost must not be null"),
        bad("Outcome of a retry of nothing", () -> new Outcome(Outcome.Kind.RETRY, ""), "retry must name"),
        bad("AccountId of null", () -> AccountId.of(null), "account id must not be null"),
        bad("IdempotencyKey of 201 characters", () -> IdempotencyKey.of("k".repeat(201)), "at most 200"),
        bad("Operation with a comma", () -> Operation.of("a,b"), "'a,b'"),
        bad("Operation with a carriage return", () -> Operation.of("a\rb"), "line breaks"));
  }

  private static Arguments bad(String name, Executable call, String... named) {
    return Arguments.argumentSet(name, call, named);
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void aBadValueIsRefusedWithATypedExceptionNamingIt(Executable call, String[] named) {
    Throwable thrown = assertThrows(Throwable.class, call);
    if (!(thrown instanceof InvalidRequestException)) {
      throw new AssertionError("expected an InvalidRequestException but got " + thrown, thrown);
    }
    for (String fragment : named) {
      assertTrue(thrown.getMessage().contains(fragment), "should name '" + fragment + "': " + thrown.getMessage());
    }
  }

  @Test
  void arithmeticThatDoesNotFitIsACreditOverflowNamingTheAmounts() {
    Credits max = Credits.ofThousandths(Long.MAX_VALUE);
    for (Executable call : List.<Executable>of(
        () -> max.plus(Credits.ofThousandths(1)),
        () -> Credits.ofThousandths(Long.MIN_VALUE).minus(Credits.ofThousandths(1)),
        () -> Credits.ofThousandths(Long.MIN_VALUE).negate(),
        () -> max.times(2),
        () -> Cost.fixed(Credits.of(2)).of(Long.MAX_VALUE),
        () -> new CustomPackTerms(Money.usd("1"), new Money(Long.MAX_VALUE, Money.usd("1").currency()),
            Credits.of(10)).creditsFor(new Money(Long.MAX_VALUE, Money.usd("1").currency())),
        () -> Money.usd("92233720368547758.08"))) {
      CreditGateException e = assertThrows(CreditOverflowException.class, call);
      assertTrue(!((CreditOverflowException) e).value().isEmpty() && e.getMessage().contains(
          ((CreditOverflowException) e).value()), e.getMessage());
    }
  }
}
