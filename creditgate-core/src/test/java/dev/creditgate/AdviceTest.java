package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The help article's "Credit packs vs subscriptions: which to buy when", sentence by sentence. */
class AdviceTest {
  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant JAN_1 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant FEB_1 = Instant.parse("2026-02-01T00:00:00Z");
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  private static int keys;

  private static IdempotencyKey key() {
    return IdempotencyKey.of("k-" + keys++);
  }

  /** Spends {@code credits} (whole, even) in images at {@code at}. */
  private static void spend(CreditGate gate, int credits, Instant at) {
    assertTrue(gate.charge(MAYA, Operation.GENERATE_IMAGE, credits / 2, key(), at).isAllowed());
  }

  /** Maya on Free: ran out in January; in February ran out again and bought a Small and a Medium pack ($35). */
  private static CreditGate ranOutInJanuaryAndFebruary(CreditGate gate) {
    gate.openWallet(MAYA, ZoneOffset.UTC, JAN_1);
    spend(gate, 30, JAN_1.plus(Duration.ofDays(10)));
    spend(gate, 30, FEB_1.plus(Duration.ofDays(3)));
    gate.topUp(MAYA, "small", key(), FEB_1.plus(Duration.ofDays(4)));
    gate.topUp(MAYA, "medium", key(), FEB_1.plus(Duration.ofDays(20)));
    spend(gate, 40, FEB_1.plus(Duration.ofDays(21)));
    return gate;
  }

  @Test
  void aWalletThatRanOutInTwoOfItsLastThreeMonthsIsAdvisedToUpgradeWithTheBreakEven() {
    CreditGate gate = ranOutInJanuaryAndFebruary(CreditGate.inMemory());
    Advice.Upgrade up = assertInstanceOf(Advice.Upgrade.class, gate.advice(MAYA, MAR_1.plus(Duration.ofDays(4))));

    assertEquals(Advice.Upgrade.Why.RAN_OUT_OR_BOUGHT_PACKS, up.why());
    assertEquals(WaysOut.Way.UPGRADE, up.way());
    assertEquals("free", up.from());
    assertEquals("pro", up.plan().id());
    assertEquals(2, up.periodsShort());
    assertEquals(3, up.periods().size());
    assertEquals(Money.usd("20"), up.priceDifference());
    assertEquals(Credits.of(120), up.moreCredits());
    PeriodSummary february = up.periods().get(1);
    assertEquals(FEB_1, february.start());
    assertEquals(MAR_1, february.end());
    assertEquals(Optional.of(Money.usd("35")), february.packsPaid());
    assertEquals(Credits.of(350), february.packCredits());
    assertEquals(Optional.of(FEB_1.plus(Duration.ofDays(3))), february.ranOutAt());
    assertEquals(Optional.of(JAN_1.plus(Duration.ofDays(10))), up.periods().get(2).ranOutAt());
    assertEquals(Optional.of(february), up.mostPaidForPacks());
    assertEquals("Upgrade to Pro: you ran out or bought packs in 2 of your last 3 months (last month $35.00 in"
        + " packs); Pro costs $20.00 a month more and brings 120 more credits a month.", up.sentence());
  }

  @Test
  void packsThatCostMoreThanThePlanWouldAreAdvisedTheUpgradeWithTheArticlesSentence() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, JAN_1);
    spend(gate, 4, JAN_1.plus(Duration.ofDays(10)));
    gate.topUp(MAYA, "small", key(), FEB_1.plus(Duration.ofDays(4)));
    gate.topUp(MAYA, "medium", key(), FEB_1.plus(Duration.ofDays(20)));
    Advice.Upgrade up = assertInstanceOf(Advice.Upgrade.class, gate.advice(MAYA, MAR_1.plus(Duration.ofDays(4))));

    assertEquals(Advice.Upgrade.Why.PACKS_COST_MORE_THAN_THE_PLAN, up.why());
    assertEquals(1, up.periodsShort(), "buying packs once is no habit");
    assertEquals("Upgrade to Pro: last month $35.00 in packs; Pro costs $20.00 a month more and brings 120 more"
        + " credits a month.", up.sentence());
  }

  @Test
  void aWalletThatWillReachItsRenewalIsAdvisedToWait() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, MAR_1);
    for (int day = 0; day < 5; day++) {
      spend(gate, 2, MAR_1.plus(Duration.ofDays(day)));          // 2 a day: 20 left on the 6th lasts 10 days
    }
    Instant at = MAR_1.plus(Duration.ofDays(26));               // ... and the renewal is in 3
    gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 2_000, key(), at.minus(Duration.ofDays(1)));
    Advice.WaitForRenewal wait = assertInstanceOf(Advice.WaitForRenewal.class, gate.advice(MAYA, at));
    assertEquals(Advice.WaitForRenewal.Why.FORECAST_REACHES_RENEWAL, wait.why());
    assertEquals(WaysOut.Way.RENEWAL, wait.way());
    Forecast.Projected p = assertInstanceOf(Forecast.Projected.class, wait.forecast());
    assertTrue(!p.runsOutBeforeRenewal(), p::toString);
    assertEquals("Wait for your renewal: at this rate your credits last until then.", wait.sentence());
  }

  @Test
  void aWalletThatWillFallShortByThirtyCreditsIsAdvisedTheSmallPack() {
    CreditGate gate = CreditGate.inMemory();
    Instant feb19 = Instant.parse("2026-02-19T00:00:00Z");
    gate.openWallet(MAYA, ZoneOffset.UTC, feb19);
    gate.changePlan(MAYA, "pro", key(), feb19);                 // 150 credits, renewing on the 19th
    for (int day = 0; day < 3; day++) {
      spend(gate, 10, MAR_1.plus(Duration.ofDays(day)));         // 10 a day from 1 March: 120 left on the 4th
    }
    Advice.BuyPack buy = assertInstanceOf(Advice.BuyPack.class, gate.advice(MAYA, MAR_1.plus(Duration.ofDays(3))));
    assertEquals(Credits.of(30), buy.gap(), "15 days to the renewal at 10 a day, less the 120 left");
    assertEquals(Optional.of(Catalog.defaults().pack("small")), buy.pack());
    assertEquals(Optional.of(Money.usd("5")), buy.customPrice(), "the Custom minimum buys 50");
    assertEquals(WaysOut.Way.TOP_UP, buy.way());
    assertEquals("Buy the Small pack ($10.00, 100 credits): at this rate you need 30 more credits to reach your"
        + " renewal.", buy.sentence());
  }

  @Test
  void aDenialsWaysOutMarkTheRecommendedOneAndWhy() {
    CreditGate gate = ranOutInJanuaryAndFebruary(CreditGate.inMemory());
    Instant at = MAR_1.plus(Duration.ofDays(4));
    spend(gate, 340, at.minusSeconds(60));                      // March's 30 and the 310 left of the packs
    Decision.Denied denied = assertInstanceOf(Decision.Denied.class,
        gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key(), at));
    Advice advice = denied.waysOut().recommended().orElseThrow();
    assertEquals(WaysOut.Way.UPGRADE, advice.way());
    assertEquals(gate.advice(MAYA, at), advice, "the same advice as the call's");
    assertEquals(denied.waysOut().upgrade().orElseThrow().plan(), ((Advice.Upgrade) advice).plan());

    CreditGate fresh = CreditGate.inMemory();
    fresh.openWallet(MAYA, ZoneOffset.UTC, MAR_1);
    Decision.Denied big = assertInstanceOf(Decision.Denied.class,
        fresh.charge(MAYA, Operation.GENERATE_IMAGE, 30, key(), MAR_1.plusSeconds(60)));
    Advice.BuyPack pack = assertInstanceOf(Advice.BuyPack.class, big.waysOut().recommended().orElseThrow());
    assertEquals(Credits.of(30), pack.gap(), "no history yet: the shortfall");
    assertEquals("small", pack.pack().orElseThrow().id());
    assertEquals("Buy the Small pack ($10.00, 100 credits): you need 30 more credits now.", pack.sentence());
  }

  @Test
  void aMembersCapIsAdvisedTheRenewal() {
    CreditGate gate = CreditGate.inMemory();
    AccountId team = AccountId.of("team");
    AccountId carol = AccountId.of("carol");
    gate.openWallet(team, ZoneOffset.UTC, MAR_1);
    gate.changePlan(team, "team", key(), MAR_1);
    gate.addMember(team, carol, key(), MAR_1);
    gate.setMemberCap(team, carol, Optional.of(Credits.of(1)), key(), MAR_1);
    Decision.Denied capped = assertInstanceOf(Decision.Denied.class,
        gate.charge(team, carol, Operation.GENERATE_IMAGE, 1, key(), MAR_1));
    Advice.WaitForRenewal wait = assertInstanceOf(Advice.WaitForRenewal.class,
        capped.waysOut().recommended().orElseThrow());
    assertEquals(Advice.WaitForRenewal.Why.MEMBER_CAP_REACHED, wait.why());
  }

  @Test
  void theRulesThresholdsAreTheGatesSettings() {
    CreditGate strict = ranOutInJanuaryAndFebruary(CreditGate.builder(InMemoryWalletStore.create())
        .upgradeAdvice(3, 3).build());
    Advice.Upgrade byMoney = assertInstanceOf(Advice.Upgrade.class, strict.advice(MAYA, MAR_1.plus(Duration.ofDays(4))));
    assertEquals(Advice.Upgrade.Why.PACKS_COST_MORE_THAN_THE_PLAN, byMoney.why(), "2 of 3 is not 3 of 3, but $35 > $20");
    CreditGate stricter = ranOutInJanuaryAndFebruary(CreditGate.builder(InMemoryWalletStore.create())
        .upgradeAdvice(3, 3).upgradeAdviceWhenPacksExceed(200).build());
    assertTrue(!(stricter.advice(MAYA, MAR_1.plus(Duration.ofDays(4))) instanceof Advice.Upgrade),
        "$35 is not above 200% of $20");
    CreditGate looser = ranOutInJanuaryAndFebruary(CreditGate.builder(InMemoryWalletStore.create())
        .upgradeAdvice(1, 1).upgradeAdviceWhenPacksExceed(10_000).build());
    assertInstanceOf(Advice.WaitForRenewal.class, looser.advice(MAYA, MAR_1.plus(Duration.ofDays(20))),
        "only March is looked at, and it is clean and spends nothing");
  }
}
