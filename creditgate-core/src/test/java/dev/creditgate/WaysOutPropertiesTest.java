package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateSteps.Charge;
import dev.creditgate.GateSteps.Step;
import dev.creditgate.model.Credits;
import dev.creditgate.model.CustomPackTerms;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Pack;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * A denial's ways out are right and they work: the offered pack is the smallest that covers the
 * shortfall, the custom price the cheapest that does, and after buying either the same charge goes
 * through; the upgrade is the next plan up; the renewal comes when and with what it says.
 */
class WaysOutPropertiesTest {

  @Provide
  Arbitrary<GateFixture.Config> configs() {
    return GateSteps.configs();
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return GateSteps.zones();
  }

  @Provide
  Arbitrary<Instant> starts() {
    return GateSteps.starts();
  }

  @Provide
  Arbitrary<List<Step>> walks() {
    return GateSteps.walks(30, 1_000_000);
  }

  /** Charges up to 2,000 credits, so that some shortfalls are beyond every pack. */
  @Provide
  Arbitrary<Charge> paidCharges() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, GateSteps.paidCharges(1_000_000)),
        Tuple.of(3, Combinators.combine(Arbitraries.of(Operation.AI_CHAT_MESSAGE, Operation.PLAN_MODE_MESSAGE),
            Arbitraries.longs().between(0, 20_000_000).withDistribution(RandomDistribution.uniform())).as(Charge::new)));
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void eachWayOutOfADenialIsRightAndWorks_packOrCustomTopUpThenTheSameChargeIsAllowed(
      @ForAll("configs") GateFixture.Config config, @ForAll("zones") ZoneId zone, @ForAll("starts") Instant start,
      @ForAll("walks") List<Step> walk, @ForAll("paidCharges") Charge charge, @ForAll boolean buyCustom) {
    GateFixture f = GateFixture.open(config, zone, start);
    GateSteps.Books books = new GateSteps.Books();
    for (Step step : walk) {
      GateSteps.apply(f, books, step);
    }
    WalletStatus status = f.gate.status(GateFixture.ACCOUNT, f.now);
    Decision decision = f.gate.charge(GateFixture.ACCOUNT, charge.operation(), charge.quantity(), f.nextKey(), f.now);
    Statistics.label("denied").collect(!decision.isAllowed());
    Statistics.label("denied").coverage(c -> c.check(true).percentage(p -> p >= 25));
    if (!(decision instanceof Decision.Denied denied)) {
      return;
    }
    Credits shortfall = denied.shortfall();
    WaysOut waysOut = denied.waysOut();
    String where = charge + " denied with " + status + ": " + waysOut;

    Optional<Pack> pack = waysOut.topUp().smallestPack();
    for (Pack candidate : f.catalog().packs()) {
      boolean covers = candidate.credits().compareTo(shortfall) >= 0;
      if (covers) {
        assertTrue(pack.isPresent(), () -> where + ": " + candidate + " covers the shortfall");
        assertTrue(pack.get().credits().compareTo(candidate.credits()) <= 0, () -> where + ": " + candidate + " is smaller");
      }
    }
    pack.ifPresent(p -> assertTrue(p.credits().compareTo(shortfall) >= 0, () -> where));

    CustomPackTerms terms = f.catalog().customPacks().orElseThrow();
    Optional<Money> price = waysOut.topUp().customPrice();
    if (price.isPresent()) {
      assertTrue(terms.creditsFor(price.get()).compareTo(shortfall) >= 0, () -> where + ": the custom price covers it");
      if (price.get().compareTo(terms.minPrice()) > 0) {
        Money cheaper = new Money(price.get().minorUnits() - 1, price.get().currency());
        assertTrue(terms.creditsFor(cheaper).compareTo(shortfall) < 0, () -> where + ": " + cheaper + " covers it too");
      }
    } else {
      assertTrue(terms.creditsFor(terms.maxPrice()).compareTo(shortfall) < 0, () -> where + ": the largest custom pack covers it");
    }

    assertEquals(f.catalog().nextPlanAfter(status.plan()), waysOut.upgrade().map(WaysOut.UpgradeOption::plan), where);
    Credits arriving = f.catalog().plan(status.renewalPlan()).monthlyCredits();
    assertEquals(status.nextRenewal(), waysOut.renewal().renewsAt(), where);
    assertEquals(arriving, waysOut.renewal().credits(), where);
    // At the renewal the promised credits arrive, less what repays a debt first (the model's
    // "debt is repaid first from the next grant"), also when the debt dates from a period the
    // stored wallet has not yet rolled over.
    Statistics.label("in debt").collect(status.debt().isPositive());
    Statistics.label("in debt").coverage(c -> c.check(true).percentage(p -> p >= 2));
    WalletStatus renewed = f.gate.status(GateFixture.ACCOUNT, waysOut.renewal().renewsAt());
    Credits repaid = arriving.min(status.debt());
    assertEquals(arriving.minus(repaid), renewed.subscription(),
        () -> where + ": at the renewal (debt repaid first) " + renewed);
    assertEquals(status.debt().minus(repaid), renewed.debt(), () -> where + ": the debt left after the renewal " + renewed);

    if (buyCustom && price.isPresent()) {
      f.gate.topUpCustom(GateFixture.ACCOUNT, price.get(), f.nextKey(), f.now);
    } else if (pack.isPresent()) {
      f.gate.topUp(GateFixture.ACCOUNT, pack.get().id(), f.nextKey(), f.now);
    } else {
      return;
    }
    Decision retried = f.gate.charge(GateFixture.ACCOUNT, charge.operation(), charge.quantity(), f.nextKey(), f.now);
    assertTrue(retried.isAllowed(), () -> where + ": still denied after the top-up: " + retried);
  }
}
