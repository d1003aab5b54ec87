package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateSteps.Charge;
import dev.creditgate.GateSteps.Step;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Every allowed charge takes its cost in the spend order, one ledger entry per grant touched:
 * subscription credits first and then packs, oldest purchase first (the default), or packs first.
 * What no grant covers (under an overdraft policy) becomes debt. The expected split is computed
 * here from the wallet just before the charge, with the packs sorted by purchase time.
 */
class SpendOrderPropertiesTest {

  /** One part of a charge: the grant it came from and the (negative) amount. */
  record Part(String grant, long amount) {}

  @Provide
  Arbitrary<OverdraftPolicy> overdrafts() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(OverdraftPolicy.NONE)),
        Tuple.of(1, Arbitraries.longs().between(1, 100_000).map(t -> OverdraftPolicy.downTo(Credits.ofThousandths(t)))));
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return GateSteps.zones();
  }

  @Provide
  Arbitrary<Instant> starts() {
    return GateSteps.starts();
  }

  /** Walks rich in top-ups, so that charges span several grants. */
  @Provide
  Arbitrary<List<Step>> walks() {
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        Tuple.of(6, GateSteps.asStep(GateSteps.paidCharges(600_000))),
        Tuple.of(2, GateSteps.asStep(GateSteps.waits())),
        Tuple.of(2, GateSteps.asStep(GateSteps.customTopUps())),
        Tuple.of(1, GateSteps.asStep(GateSteps.packTopUps())),
        Tuple.of(1, GateSteps.asStep(GateSteps.planChanges())));
    return step.list().ofMinSize(1).ofMaxSize(40).withSizeDistribution(net.jqwik.api.RandomDistribution.uniform());
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void subscriptionFirst_chargesSpendSubscriptionThenPacksOldestPurchaseFirst(
      @ForAll("overdrafts") OverdraftPolicy overdraft, @ForAll UpgradePolicy upgradePolicy,
      @ForAll("zones") ZoneId zone, @ForAll("starts") Instant start, @ForAll("walks") List<Step> walk) {
    assertEveryChargeFollowsTheSpendOrder(
        new GateFixture.Config(SpendOrder.SUBSCRIPTION_FIRST, overdraft, upgradePolicy, Credits.parse("3.333")),
        zone, start, walk);
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void packsFirst_chargesSpendPacksOldestPurchaseFirstThenSubscription(
      @ForAll("overdrafts") OverdraftPolicy overdraft, @ForAll UpgradePolicy upgradePolicy,
      @ForAll("zones") ZoneId zone, @ForAll("starts") Instant start, @ForAll("walks") List<Step> walk) {
    assertEveryChargeFollowsTheSpendOrder(
        new GateFixture.Config(SpendOrder.PACKS_FIRST, overdraft, upgradePolicy, Credits.parse("3.333")),
        zone, start, walk);
  }

  private static void assertEveryChargeFollowsTheSpendOrder(GateFixture.Config config, ZoneId zone, Instant start,
      List<Step> walk) {
    GateFixture f = GateFixture.open(config, zone, start);
    GateSteps.Books books = new GateSteps.Books();
    int mostParts = 0;
    for (int i = 0; i < walk.size(); i++) {
      Step step = walk.get(i);
      if (!(step instanceof Charge charge)) {
        GateSteps.apply(f, books, step);
        continue;
      }
      String where = "step " + i + " " + step;
      Wallet before = f.wallet().rollForward(f.now, f.gate.rules()).wallet();
      IdempotencyKey key = f.nextKey();
      Decision decision = f.gate.charge(GateFixture.ACCOUNT, charge.operation(), charge.quantity(), key, f.now);
      if (!decision.isAllowed()) {
        continue;
      }
      Expected expected = expectedSpend(before, decision.cost(), config.spendOrder());
      List<Part> actual = new ArrayList<>();
      for (LedgerEntry entry : f.ledgerOf(key)) {
        assertEquals(LedgerEntry.Kind.DEBIT, entry.kind(), () -> where + ": " + entry);
        assertEquals(charge.operation().id(), entry.operation(), () -> where + ": " + entry);
        actual.add(new Part(entry.grant(), entry.amount().thousandths()));
      }
      assertEquals(expected.parts(), actual, () -> where + " from " + before);

      Wallet after = f.wallet();
      assertEquals(expected.subscription(), after.subscription().thousandths(), () -> where + ": subscription left");
      Map<String, Long> packsLeft = new LinkedHashMap<>();
      for (PackGrant grant : after.packs()) {
        packsLeft.put(grant.id(), grant.remaining().thousandths());
      }
      assertEquals(expected.packs(), packsLeft, where + ": packs left, oldest first");
      mostParts = Math.max(mostParts, actual.size());
    }
    Statistics.label("a charge spanned several grants").collect(mostParts >= 2);
    Statistics.label("a charge spanned several grants").coverage(c -> c.check(true).percentage(p -> p >= 20));
  }

  /** The parts of a charge and what remains after it. */
  record Expected(List<Part> parts, long subscription, Map<String, Long> packs) {}

  static Expected expectedSpend(Wallet before, Credits cost, SpendOrder order) {
    List<PackGrant> byPurchase = new ArrayList<>(before.packs());
    byPurchase.sort(Comparator.comparing(PackGrant::purchasedAt)); // stable: same-time purchases keep their order
    Map<String, Long> packs = new LinkedHashMap<>();
    for (PackGrant grant : byPurchase) {
      packs.put(grant.id(), grant.remaining().thousandths());
    }
    long subscription = before.subscription().thousandths();
    long left = cost.thousandths();
    List<Part> parts = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      boolean subscriptionPass = (pass == 0) == (order == SpendOrder.SUBSCRIPTION_FIRST);
      if (subscriptionPass) {
        long taken = Math.min(left, subscription);
        if (taken > 0) {
          parts.add(new Part(LedgerEntry.SUBSCRIPTION, -taken));
          subscription -= taken;
          left -= taken;
        }
      } else {
        for (Map.Entry<String, Long> grant : new ArrayList<>(packs.entrySet())) {
          if (left == 0) {
            break;
          }
          long taken = Math.min(left, grant.getValue());
          parts.add(new Part(grant.getKey(), -taken));
          left -= taken;
          if (taken == grant.getValue()) {
            packs.remove(grant.getKey());
          } else {
            packs.put(grant.getKey(), grant.getValue() - taken);
          }
        }
      }
    }
    if (left > 0) {
      parts.add(new Part(LedgerEntry.OVERDRAFT, -left));
    }
    assertTrue(parts.size() > 0 || cost.isZero());
    return new Expected(parts, subscription, packs);
  }
}
