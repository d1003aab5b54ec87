package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.creditgate.GateSteps.Step;
import dev.creditgate.SpendOrderPropertiesTest.Part;
import dev.creditgate.model.Cost;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties that once failed, one per bug found by property testing and fixed: debt repaid from
 * the first missed allowance, metered costs that fit never reported as overflow, packs spent in
 * purchase order whatever order their top-ups arrive in.
 */
class RegressionPropertiesTest {

  private static final Instant JAN_1 = Instant.parse("2025-01-01T00:00:00Z");

  // --- 1. A lazy roll over several renewals repays overdraft debt from the wrong allowance --------

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

  /**
   * Renewal is lazy, so what a wallet holds must not depend on whether it was written in between:
   * rolling to t1 then t2 must equal rolling to t2 at once. With overdraft debt it does not: the
   * one-shot roll repays the debt from the <em>last</em> missed renewal's allowance instead of the
   * first, so the customer starts the current period short by the debt.
   */
  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)

  void rollingForwardInStepsOrAtOnceEndsInTheSameWallet_evenWithOverdraftDebt(
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
    Instant t1 = f.now.plus(Duration.ofHours(Math.min(hours1, hours2)));
    Instant t2 = f.now.plus(Duration.ofHours(Math.max(hours1, hours2)));
    assertEquals(GateTestKit.withoutEventCount(wallet.rollForward(t1, rules).wallet().rollForward(t2, rules).wallet()),
        GateTestKit.withoutEventCount(wallet.rollForward(t2, rules).wallet()),
        "rolled to " + t1 + " then " + t2 + ", or at once");
  }

  /** The smallest reproduction through the gate; also makes the "wait for renewal" way out wrong. */
  @Example

  void aWalletInDebtUntouchedForTwoRenewalsStartsThePeriodWithTheFullAllowance() {
    GateFixture f = GateFixture.open(new GateFixture.Config(SpendOrder.SUBSCRIPTION_FIRST,
        OverdraftPolicy.downTo(Credits.of(50)), UpgradePolicy.RESTART_PERIOD, Credits.of(10)), ZoneOffset.UTC, JAN_1);
    // Free plan, 30 credits; a 50.1-credit message overdraws to -20.1.
    f.gate.charge(GateFixture.ACCOUNT, Operation.AI_CHAT_MESSAGE, 500_000, f.nextKey(), Instant.parse("2025-01-02T00:00:00Z"));
    // 1 Feb: 30 granted, 20.1 repaid, 9.9 left; 1 Mar: the 9.9 expire and 30 are granted.
    assertEquals(Credits.of(30), f.gate.status(GateFixture.ACCOUNT, Instant.parse("2025-03-15T00:00:00Z")).subscription(),
        "no write in February: the March allowance was used to repay January's debt");
  }

  // --- 2. Metered cost overflows in an intermediate product ----------------------------------------

  @Provide
  Arbitrary<Cost.Metered> meteredCosts() {
    return Combinators.combine(Arbitraries.longs().between(0, 1_000_000), Arbitraries.longs().between(1, 1_000_000),
            Arbitraries.longs().between(1, 1_000_000))
        .as((b, p, s) -> (Cost.Metered) Cost.metered(Credits.ofThousandths(b), Credits.ofThousandths(p), s));
  }

  /** Overflow is an error for a cost that does not fit, and only for one: a cost that fits is returned. */
  @Property(tries = 500)

  void meteredCostThrowsCreditOverflowOnlyWhenTheCostDoesNotFit(
      @ForAll("meteredCosts") Cost.Metered cost, @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long quantity) {
    BigInteger blockSize = BigInteger.valueOf(cost.blockSize());
    BigInteger exact = BigInteger.valueOf(cost.perBlock().thousandths()).multiply(BigInteger.valueOf(quantity))
        .add(blockSize.subtract(BigInteger.ONE)).divide(blockSize).add(BigInteger.valueOf(cost.base().thousandths()));
    if (exact.bitLength() < 64) {
      assertEquals(exact.longValueExact(), cost.of(quantity).thousandths(), "the cost fits in a long");
    }
  }

  // --- 3. Packs are spent in commit order, not purchase order --------------------------------------

  @Provide
  Arbitrary<List<Duration>> purchaseOffsets() {
    return Arbitraries.longs().between(0, 24 * 60).map(Duration::ofMinutes).list().ofMinSize(2).ofMaxSize(5);
  }

  /**
   * "Pack credits: oldest purchase first" (design 3, Wallet and SpendOrder Javadoc). Top-ups whose
   * times arrive out of order (two service instances, a delayed webhook) are spent in the order they
   * were committed, not the order of their purchase times. Either sort packs by purchase time on
   * insert, or document that "oldest" means "first recorded".
   */
  @Property(tries = 200)

  void packsAreSpentOldestPurchaseFirst_evenWhenTopUpsArriveOutOfTimeOrder(
      @ForAll("purchaseOffsets") @Size(min = 2) List<Duration> offsets, @ForAll SpendOrder order) {
    GateFixture f = GateFixture.open(new GateFixture.Config(order, OverdraftPolicy.NONE, UpgradePolicy.RESTART_PERIOD,
        Credits.of(10)), ZoneOffset.UTC, JAN_1);
    Instant base = Instant.parse("2025-01-10T00:00:00Z");
    for (Duration offset : offsets) {
      f.gate.topUp(GateFixture.ACCOUNT, "small", f.nextKey(), base.plus(offset));
    }
    Instant now = base.plus(Duration.ofDays(2));
    Wallet before = f.wallet().rollForward(now, f.gate.rules()).wallet();
    IdempotencyKey key = f.nextKey();
    Decision decision = f.gate.charge(GateFixture.ACCOUNT, Operation.CONNECT_INTEGRATION, 6, key, now); // 30 credits
    List<Part> actual = new ArrayList<>();
    for (LedgerEntry entry : f.ledgerOf(key)) {
      actual.add(new Part(entry.grant(), entry.amount().thousandths()));
    }
    assertEquals(SpendOrderPropertiesTest.expectedSpend(before, decision.cost(), order).parts(), actual);
  }

  @Example

  void aPackRecordedLateButBoughtEarlierIsSpentFirst() {
    GateFixture f = GateFixture.open(GateFixture.Config.defaults(), ZoneOffset.UTC, JAN_1);
    f.gate.topUp(GateFixture.ACCOUNT, "small", IdempotencyKey.of("pay-2"), Instant.parse("2025-01-10T12:00:00Z"));
    f.gate.topUp(GateFixture.ACCOUNT, "medium", IdempotencyKey.of("pay-1"), Instant.parse("2025-01-10T11:00:00Z"));
    IdempotencyKey key = IdempotencyKey.of("charge");
    f.gate.charge(GateFixture.ACCOUNT, Operation.CONNECT_INTEGRATION, 7, key, Instant.parse("2025-01-10T13:00:00Z"));
    // 35 credits: 30 from the subscription, then 5 from the oldest purchase, pay-1 (11:00)
    assertEquals(List.of(new Part("subscription", -30_000), new Part("pack:pay-1", -5_000)),
        f.ledgerOf(key).stream().map(e -> new Part(e.grant(), e.amount().thousandths())).toList());
  }
}
