package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateSteps.Charge;
import dev.creditgate.GateSteps.Step;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/** Under the default policy (no overdraft) credits never go below zero, and a denial changes nothing. */
class NoOverdraftPropertiesTest {

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
    return GateSteps.walks(40, 1_000_000);
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void withoutOverdraftAvailableCreditsNeverGoBelowZero_andADeniedChargeChangesNothing(
      @ForAll SpendOrder spendOrder, @ForAll UpgradePolicy upgradePolicy, @ForAll("zones") ZoneId zone,
      @ForAll("starts") Instant start, @ForAll("walks") List<Step> walk) {
    GateFixture.Config config = new GateFixture.Config(spendOrder, OverdraftPolicy.NONE, upgradePolicy, Credits.of(10));
    GateFixture f = GateFixture.open(config, zone, start);
    GateSteps.Books books = new GateSteps.Books();
    int denials = 0;

    for (int i = 0; i < walk.size(); i++) {
      Step step = walk.get(i);
      String where = "step " + i + " " + step;
      if (step instanceof Charge charge) {
        Credits available = f.gate.status(GateFixture.ACCOUNT, f.now).available();
        GateFixture.Snapshot before = f.snapshot();
        Decision decision = f.gate.charge(GateFixture.ACCOUNT, charge.operation(), charge.quantity(), f.nextKey(), f.now);
        assertEquals(available, decision.balanceBefore(), where);
        if (decision instanceof Decision.Denied denied) {
          denials++;
          f.assertUnchangedSince(before, "denied " + where);
          assertTrue(denied.cost().compareTo(available) > 0, () -> where + ": denied although " + available + " covers " + denied.cost());
          assertEquals(denied.cost().minus(available), denied.shortfall(), () -> where + ": the shortfall");
          assertTrue(denied.shortfall().isPositive(), where);
        } else {
          assertFalse(decision.cost().compareTo(available) > 0, () -> where + ": allowed " + decision.cost() + " beyond " + available);
          assertEquals(available.minus(decision.cost()), decision.balanceAfter(), where);
          assertEquals(available.minus(decision.cost()), f.gate.status(GateFixture.ACCOUNT, f.now).available(),
              where + ": an allowed charge takes exactly its cost");
        }
      } else {
        GateSteps.apply(f, books, step);
      }

      Wallet wallet = f.wallet();
      assertTrue(wallet.invariantViolations().isEmpty(), () -> where + ": " + wallet.invariantViolations());
      assertFalse(wallet.available().isNegative(), () -> where + ": available " + wallet.available());
      assertTrue(wallet.debt().isZero(), () -> where + ": debt " + wallet.debt());
      assertFalse(f.gate.status(GateFixture.ACCOUNT, f.now).available().isNegative(), where);
      for (LedgerEntry entry : f.ledger()) {
        assertFalse(entry.grant().equals(LedgerEntry.OVERDRAFT), () -> where + ": overdraft entry " + entry);
      }
    }
    Statistics.label("denied").collect(denials > 0);
    Statistics.label("denied").coverage(c -> c.check(true).percentage(p -> p >= 20));
  }
}
