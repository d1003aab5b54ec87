package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateSteps.Step;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.model.WalletEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Renewal is lazy: a wallet untouched for k periods, touched at any time in period k, rolls once:
 * one expiry of the unused subscription credits at the first missed renewal, one grant of the
 * allowance at the last, and the period index advances by k.
 */
class LazyRenewalPropertiesTest {

  @Provide
  Arbitrary<ZoneId> zones() {
    return GateSteps.zones();
  }

  @Provide
  Arbitrary<Instant> starts() {
    return GateSteps.starts();
  }

  /** The plan set up before the quiet months, and the plan scheduled for the renewal. */
  @Provide
  Arbitrary<List<String>> planPaths() {
    return Arbitraries.of(List.of(), List.of("pro"), List.of("team"), List.of("team", "pro"),
        List.of("team", "free"), List.of("pro", "free"), List.of("pro", "free", "pro"));
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void aWalletUntouchedForKPeriodsRenewsOnce_oneExpiryOneGrant_periodAdvancedByK(
      @ForAll UpgradePolicy upgradePolicy, @ForAll("zones") ZoneId zone, @ForAll("starts") Instant start,
      @ForAll("planPaths") List<String> planPath, @ForAll @IntRange(min = 0, max = 14) int images,
      @ForAll @LongRange(min = 1, max = 30) long k, @ForAll @IntRange(min = 0, max = 999) int permille) {
    GateFixture f = GateFixture.open(
        new GateFixture.Config(SpendOrder.SUBSCRIPTION_FIRST, OverdraftPolicy.NONE, upgradePolicy, Credits.of(10)),
        zone, start);
    for (String plan : planPath) {
      f.now = f.now.plusSeconds(60);
      f.gate.changePlan(GateFixture.ACCOUNT, plan, f.nextKey(), f.now);
    }
    f.gate.topUp(GateFixture.ACCOUNT, "small", f.nextKey(), f.now); // packs must survive renewals untouched
    for (int i = 0; i < images; i++) { // 2 credits each: the subscription keeps some unused credits
      assertTrue(f.gate.charge(GateFixture.ACCOUNT, Operation.GENERATE_IMAGE, 1, f.nextKey(), f.now).isAllowed());
    }
    Wallet quiet = f.wallet();
    assertTrue(quiet.subscription().isPositive(), () -> "set-up leaves unused subscription credits: " + quiet);
    RenewalSchedule schedule = quiet.schedule();
    long period = quiet.period();
    Instant renewal = schedule.periodStart(period + k);
    Instant after = schedule.periodStart(period + k + 1);
    Instant touch = renewal.plus(Duration.between(renewal, after).multipliedBy(permille).dividedBy(1000));

    int ledgerBefore = f.ledger().size();
    int eventsBefore = f.events.size();
    IdempotencyKey key = f.nextKey();
    f.gate.topUp(GateFixture.ACCOUNT, "small", key, touch);

    List<LedgerEntry> rolled = f.ledger().subList(ledgerBefore, f.ledger().size()).stream()
        .filter(e -> !e.key().equals(key.value())).toList();
    Credits allowance = f.catalog().plan(quiet.renewalPlanId()).monthlyCredits();
    String where = "untouched for " + k + " periods from " + quiet + ", touched at " + touch;
    assertEquals(List.of(
            new LedgerEntry(GateFixture.ACCOUNT, schedule.periodStart(period + 1), LedgerEntry.Kind.EXPIRY,
                LedgerEntry.SUBSCRIPTION, quiet.subscription().negate(), "", ""),
            new LedgerEntry(GateFixture.ACCOUNT, renewal, LedgerEntry.Kind.GRANT, LedgerEntry.SUBSCRIPTION,
                allowance, "", "")),
        rolled, where);

    Wallet now = f.wallet();
    assertEquals(period + k, now.period(), where);
    assertEquals(quiet.renewalPlanId(), now.planId(), () -> where + ": a scheduled change takes effect at renewal");
    assertEquals(allowance, now.subscription(), where);
    assertEquals(quiet.packs(), now.packs().subList(0, quiet.packs().size()), () -> where + ": packs carry over");
    assertEquals(after, now.nextRenewal(), where);
    assertEquals(after, f.gate.status(GateFixture.ACCOUNT, touch).nextRenewal(), where);

    List<WalletEvent> events = f.events.subList(eventsBefore, f.events.size());
    assertEquals(1, events.stream().filter(e -> e instanceof WalletEvent.SubscriptionRenewed).count(), () -> where + events);
    assertEquals(1, events.stream().filter(e -> e instanceof WalletEvent.SubscriptionCreditsExpired).count(), () -> where + events);
  }

  @Provide
  Arbitrary<GateFixture.Config> configs() {
    return GateSteps.configs();
  }

  @Provide
  Arbitrary<List<Step>> walks() {
    return GateSteps.walks(30, 1_000_000);
  }

  /**
   * The pure transition, with or without an overdraft debt: rolling forward to t1 and then to t2
   * leaves the same wallet as rolling to t2 at once, and rolling again to the same time changes
   * nothing. (A debt is repaid period by period, exactly as if the wallet had been touched every
   * month, so the steps do not matter.)
   */
  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void rollingForwardInStepsOrAtOnceEndsInTheSameWallet_andRollingTwiceChangesNothing(
      @ForAll("configs") GateFixture.Config config, @ForAll("zones") ZoneId zone, @ForAll("starts") Instant start,
      @ForAll("walks") List<Step> walk,
      @ForAll @LongRange(min = 0, max = 400 * 24) long hours1, @ForAll @LongRange(min = 0, max = 400 * 24) long hours2) {
    GateFixture f = GateFixture.open(config, zone, start);
    GateSteps.Books books = new GateSteps.Books();
    for (Step step : walk) {
      GateSteps.apply(f, books, step);
    }
    WalletRules rules = f.gate.rules();
    Wallet wallet = f.wallet();
    Statistics.label("in debt").collect(wallet.debt().isPositive());
    Statistics.label("in debt").coverage(c -> c.check(true).percentage(p -> p >= 2));
    Instant t1 = f.now.plus(Duration.ofHours(Math.min(hours1, hours2)));
    Instant t2 = f.now.plus(Duration.ofHours(Math.max(hours1, hours2)));

    Transition atOnce = wallet.rollForward(t2, rules);
    Transition inSteps = wallet.rollForward(t1, rules).wallet().rollForward(t2, rules);
    assertEquals(GateTestKit.withoutEventCount(inSteps.wallet()), GateTestKit.withoutEventCount(atOnce.wallet()),
        "rolled to " + t1 + " then " + t2 + ", or at once");
    assertTrue(atOnce.wallet().rollForward(t2, rules).changesNothing(), () -> "rolling again to " + t2);
    assertTrue(atOnce.wallet().rollForward(t1, rules).changesNothing(), () -> "rolling back to " + t1);
  }
}
