package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.UNIT;
import static dev.creditgate.GateTestKit.defaultCostsPlusUnit;
import static dev.creditgate.GateTestKit.ledger;
import static dev.creditgate.GateTestKit.ledgerBalance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The help article "Out of credits — what now?", one sentence per test, against the default
 * catalog and cost table. Every wallet belongs to alice, opens on Free (30 credits) at
 * {@link GateTestKit#T0} in UTC, and renews on the 15th at 09:00.
 */
@DisplayName("The help article, sentence by sentence")
class ArticleTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  /** When the article's tests act on a wallet that has just hit zero. */
  private static final Instant NOW = T0.plus(Duration.ofHours(1));
  /** alice's first renewal: one month after T0. */
  private static final Instant RENEWAL = Instant.parse("2025-02-15T09:00:00Z");

  private final AccountId alice = AccountId.of("alice");
  /** A spy on the real store, for interaction checks only; it stores for real. */
  private final WalletStore store = spy(InMemoryWalletStore.create());
  private final RecordingSink sink = new RecordingSink();
  private final CreditGate gate = CreditGate.builder(store)
      .eventSink(sink)
      .costTable(defaultCostsPlusUnit())
      .build();
  private int keys;

  private IdempotencyKey key() {
    return IdempotencyKey.of("k-" + (++keys));
  }

  /** Opens alice's Free wallet at T0 and spends all of it by NOW: the balance is exactly zero. */
  private void walletAtZero() {
    gate.openWallet(alice, UTC, T0);
    Decision drained = gate.charge(alice, Operation.GENERATE_IMAGE, 15, key(), T0.plusSeconds(60));
    assertTrue(drained.isAllowed(), "15 images at 2 credits drain the 30 free credits");
    WalletStatus status = gate.status(alice, NOW);
    assertEquals(Credits.ZERO, status.available());
    assertEquals(Meter.EMPTY, status.meter());
  }

  /** Spends exactly {@code credits} with the test-only unit operation. */
  private Decision spend(String credits, Instant at) {
    return gate.charge(alice, UNIT, Credits.parse(credits).thousandths(), key(), at);
  }

  private Credits cost(Operation operation, long quantity) {
    return gate.costTable().costOf(operation).of(quantity);
  }

  private static Credits credits(String text) {
    return Credits.parse(text);
  }

  // -----------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("What you can still do when you're out of credits")
  class StillPossibleAtZero {

    /** A free operation at zero: allowed by check and charge, costing nothing, writing nothing. */
    private void assertFreeAtZero(Operation operation, long quantity) {
      walletAtZero();
      StoredWallet before = store.load(alice).orElseThrow();
      List<LedgerEntry> ledgerBefore = ledger(store, alice);
      clearInvocations(store);

      Decision checked = gate.check(alice, operation, quantity, NOW);
      Decision charged = gate.charge(alice, operation, quantity, key(), NOW);

      for (Decision d : List.of(checked, charged)) {
        assertInstanceOf(Decision.Allowed.class, d, operation + " at zero");
        assertEquals(operation, d.operation());
        assertEquals(Credits.ZERO, d.cost());
        assertEquals(Credits.ZERO, d.balanceBefore());
        assertEquals(Credits.ZERO, d.balanceAfter());
        assertEquals(Meter.EMPTY, d.meter());
      }
      verify(store, never()).commit(any());
      assertEquals(before, store.load(alice).orElseThrow(), "wallet and version untouched");
      assertEquals(ledgerBefore, ledger(store, alice), "no ledger entry");
    }

    @Test
    @DisplayName("Your live apps keep working for all your users")
    void liveAppsKeepWorking() {
      assertFreeAtZero(Operation.SERVE_LIVE_APP, 1_000_000);
    }

    @Test
    @DisplayName("You can publish updates (publishing doesn't use credits)")
    void publishUpdates() {
      assertFreeAtZero(Operation.PUBLISH_UPDATE, 1);
    }

    @Test
    @DisplayName("You can manage your data: view")
    void viewData() {
      assertFreeAtZero(Operation.VIEW_DATA, 1);
    }

    @Test
    @DisplayName("You can manage your data: edit")
    void editData() {
      assertFreeAtZero(Operation.EDIT_DATA, 25);
    }

    @Test
    @DisplayName("You can manage your data: export")
    void exportData() {
      assertFreeAtZero(Operation.EXPORT_DATA, 1);
    }

    @Test
    @DisplayName("You can share your app with new users")
    void shareWithNewUsers() {
      assertFreeAtZero(Operation.SHARE_APP, 3);
    }
  }

  @Nested
  @DisplayName("What you CAN'T do without credits")
  class NotPossibleAtZero {

    /** A paid operation at zero: denied by check and charge, nothing written. */
    private Decision.Denied assertDeniedAtZero(Operation operation, long quantity) {
      walletAtZero();
      Credits cost = cost(operation, quantity);
      assertTrue(cost.isPositive(), operation + " costs credits");
      StoredWallet before = store.load(alice).orElseThrow();
      List<LedgerEntry> ledgerBefore = ledger(store, alice);
      clearInvocations(store);

      Decision checked = gate.check(alice, operation, quantity, NOW);
      Decision charged = gate.charge(alice, operation, quantity, key(), NOW);

      assertEquals(checked, charged, "check and charge agree");
      Decision.Denied denied = assertInstanceOf(Decision.Denied.class, charged);
      assertEquals(Decision.Reason.INSUFFICIENT_CREDITS, denied.reason());
      assertEquals(cost, denied.cost());
      assertEquals(cost, denied.shortfall(), "at zero the whole cost is missing");
      assertEquals(Credits.ZERO, denied.balanceBefore());
      assertEquals(Credits.ZERO, denied.balanceAfter());
      assertEquals(Meter.EMPTY, denied.meter());
      verify(store, never()).commit(any());
      assertEquals(before, store.load(alice).orElseThrow(), "a denial writes nothing");
      assertEquals(ledgerBefore, ledger(store, alice));
      return denied;
    }

    @Test
    @DisplayName("Make new AI-powered changes: a chat message is denied")
    void aiChatMessage() {
      assertDeniedAtZero(Operation.AI_CHAT_MESSAGE, 2_000);
    }

    @Test
    @DisplayName("Every chat message uses credits: even an empty one costs its base")
    void everyChatMessageUsesCredits() {
      Decision.Denied denied = assertDeniedAtZero(Operation.AI_CHAT_MESSAGE, 0);
      assertTrue(denied.cost().isPositive());
    }

    @Test
    @DisplayName("Make new AI-powered changes: a plan-mode message is denied too")
    void planModeMessage() {
      assertDeniedAtZero(Operation.PLAN_MODE_MESSAGE, 2_000);
    }

    @Test
    @DisplayName("Generate images")
    void generateImages() {
      assertDeniedAtZero(Operation.GENERATE_IMAGE, 1);
    }

    @Test
    @DisplayName("Connect new integrations")
    void connectIntegrations() {
      assertDeniedAtZero(Operation.CONNECT_INTEGRATION, 1);
    }
  }

  // -----------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("Option 1 — Top up with a credit pack (instant)")
  class TopUpWithAPack {

    @Test
    @DisplayName("Small $10, Medium $25, Large $100 and Custom are on sale")
    void packsOnSale() {
      Catalog catalog = gate.catalog();
      assertEquals(Money.usd("10"), catalog.pack("small").price());
      assertEquals(Money.usd("25"), catalog.pack("medium").price());
      assertEquals(Money.usd("100"), catalog.pack("large").price());
      List<Pack> packs = catalog.packs();
      for (int i = 1; i < packs.size(); i++) {
        assertTrue(packs.get(i - 1).credits().isLessThan(packs.get(i).credits()), "bigger packs buy more");
      }
      assertTrue(catalog.customPacks().isPresent(), "Custom — pick any amount");
    }

    @Test
    @DisplayName("A top-up is instant: the pack's credits are spendable the same instant")
    void topUpIsInstant() {
      walletAtZero();
      Credits small = gate.catalog().pack("small").credits();

      TopUp topUp = gate.topUp(alice, "small", IdempotencyKey.of("pay-1"), NOW);

      assertEquals("small", topUp.pack());
      assertEquals(small, topUp.credits());
      assertEquals(small, topUp.balanceAfter());
      assertEquals(small, gate.status(alice, NOW).packs());
      Decision chat = gate.charge(alice, Operation.AI_CHAT_MESSAGE, 2_000, key(), NOW);
      assertTrue(chat.isAllowed(), "the AI works again at once");
      assertEquals(small.minus(cost(Operation.AI_CHAT_MESSAGE, 2_000)), chat.balanceAfter());
    }

    @Test
    @DisplayName("Custom — pick any amount: $37.50 buys 375 credits at the default rate")
    void customAmount() {
      walletAtZero();
      TopUp topUp = gate.topUpCustom(alice, Money.usd("37.50"), IdempotencyKey.of("pay-c"), NOW);
      assertEquals("custom", topUp.pack());
      assertEquals(Credits.of(375), topUp.credits());
      assertEquals(Credits.of(375), gate.status(alice, NOW).available());
    }

    @Test
    @DisplayName("Credit packs never expire and carry over month to month")
    void packsNeverExpire() {
      walletAtZero();
      TopUp topUp = gate.topUp(alice, "small", IdempotencyKey.of("pay-1"), NOW);
      Credits pack = topUp.credits();

      Instant month = RENEWAL;
      for (int i = 1; i <= 12; i++) {
        Instant at = month.plus(Duration.ofHours(1));
        assertTrue(gate.charge(alice, Operation.GENERATE_IMAGE, 2, key(), at).isAllowed());
        WalletStatus status = gate.status(alice, at);
        assertEquals(pack, status.packs(), "pack intact after renewal " + i);
        assertEquals(Credits.of(26), status.subscription(), "subscription spent first");
        month = status.nextRenewal();
      }
      List<LedgerEntry> expiries = ledger(store, alice).stream()
          .filter(e -> e.kind() == LedgerEntry.Kind.EXPIRY).toList();
      // The wallet was at zero at the first renewal; at each of the 11 later ones 26 lapsed.
      assertEquals(11, expiries.size());
      for (LedgerEntry expiry : expiries) {
        assertEquals(LedgerEntry.SUBSCRIPTION, expiry.grant(), "only subscription credits expire");
        assertEquals(Credits.of(-26), expiry.amount());
      }
    }
  }

  @Nested
  @DisplayName("Option 2 — Upgrade your plan")
  class Upgrade {

    @Test
    @DisplayName("Upgrading takes effect immediately: the new bundle is available the moment it goes through")
    void upgradeIsImmediate() {
      walletAtZero();
      Credits pro = gate.catalog().plan("pro").monthlyCredits();

      PlanChange change = gate.changePlan(alice, "pro", key(), NOW);

      assertEquals("free", change.from());
      assertEquals("pro", change.to());
      assertTrue(change.immediate());
      assertEquals(NOW, change.effectiveAt());
      assertEquals(pro, change.balanceAfter());
      WalletStatus status = gate.status(alice, NOW);
      assertEquals("pro", status.plan());
      assertEquals(pro, status.subscription());
      assertTrue(gate.charge(alice, Operation.GENERATE_IMAGE, 1, key(), NOW).isAllowed());
    }

    @Test
    @DisplayName("Pro ($20/mo) — 5x the credits of free")
    void proIsFiveTimesFree() {
      Plan free = gate.catalog().plan("free");
      Plan pro = gate.catalog().plan("pro");
      assertEquals(Money.usd("20"), pro.monthlyPrice());
      assertEquals(free.monthlyCredits().times(5), pro.monthlyCredits());

      gate.openWallet(alice, UTC, T0);
      Credits onFree = gate.status(alice, T0).subscription();
      gate.changePlan(alice, "pro", key(), T0.plusSeconds(1));
      assertEquals(onFree.times(5), gate.status(alice, T0.plusSeconds(1)).subscription());
    }

    @Test
    @DisplayName("Team ($49/mo) — even more credits, plus team seats and priority support")
    void teamHasMore() {
      Plan pro = gate.catalog().plan("pro");
      Plan team = gate.catalog().plan("team");
      assertEquals(Money.usd("49"), team.monthlyPrice());
      assertTrue(pro.monthlyCredits().isLessThan(team.monthlyCredits()));
      assertTrue(team.seats() > pro.seats());
      assertTrue(team.hasFeature(Catalog.PRIORITY_SUPPORT));
      assertFalse(pro.hasFeature(Catalog.PRIORITY_SUPPORT));

      walletAtZero();
      PlanChange change = gate.changePlan(alice, "team", key(), NOW);
      assertTrue(change.immediate());
      assertEquals(team.monthlyCredits(), gate.status(alice, NOW).available());
    }

    @Test
    @DisplayName("An upgrade leaves pack credits untouched")
    void upgradeKeepsPacks() {
      walletAtZero();
      gate.topUp(alice, "small", IdempotencyKey.of("pay-1"), NOW);
      gate.changePlan(alice, "pro", key(), NOW.plusSeconds(1));
      WalletStatus status = gate.status(alice, NOW.plusSeconds(1));
      assertEquals(gate.catalog().pack("small").credits(), status.packs());
      assertEquals(gate.catalog().plan("pro").monthlyCredits(), status.subscription());
    }
  }

  @Nested
  @DisplayName("Option 3 — Wait for your renewal")
  class WaitForRenewal {

    @Test
    @DisplayName("Subscription credits refresh on the renewal date, not a moment before")
    void creditsRefreshOnRenewalDate() {
      walletAtZero();
      assertEquals(RENEWAL, gate.status(alice, NOW).nextRenewal(), "Account → Billing shows the date");

      Instant justBefore = RENEWAL.minusMillis(1);
      assertFalse(gate.check(alice, Operation.GENERATE_IMAGE, 1, justBefore).isAllowed());
      assertEquals(Credits.ZERO, gate.status(alice, justBefore).available());

      WalletStatus renewed = gate.status(alice, RENEWAL);
      assertEquals(Credits.of(30), renewed.subscription());
      assertEquals(Instant.parse("2025-03-15T09:00:00Z"), renewed.nextRenewal());
      assertTrue(gate.charge(alice, Operation.GENERATE_IMAGE, 1, key(), RENEWAL).isAllowed());
    }

    @Test
    @DisplayName("Unused subscription credits expire at renewal and do not carry over")
    void unusedSubscriptionCreditsExpire() {
      gate.openWallet(alice, UTC, T0);
      spend("10", NOW);

      Decision afterRenewal = spend("1", RENEWAL.plusSeconds(5));

      assertEquals(Credits.of(30), afterRenewal.balanceBefore(), "refreshed to 30, not 20 + 30");
      List<LedgerEntry> expiries = ledger(store, alice).stream()
          .filter(e -> e.kind() == LedgerEntry.Kind.EXPIRY).toList();
      assertEquals(1, expiries.size());
      assertEquals(Credits.of(-20), expiries.get(0).amount());
      assertEquals(RENEWAL, expiries.get(0).at());
      List<WalletEvent.SubscriptionCreditsExpired> expired = sink.of(WalletEvent.SubscriptionCreditsExpired.class);
      assertEquals(1, expired.size());
      assertEquals(Credits.of(20), expired.get(0).credits());
      assertEquals(ledgerBalance(ledger(store, alice)), gate.status(alice, RENEWAL.plusSeconds(5)).available());
    }
  }

  // -----------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("A denial carries the three ways out, with real numbers")
  class WaysOutOfADenial {

    /** A chat message costing exactly {@code credits}: 0.1 base + 0.1 per 1,000 tokens. */
    private long tokensCosting(String credits) {
      long tokens = (Credits.parse(credits).thousandths() - 100) * 10;
      assertEquals(Credits.parse(credits), cost(Operation.AI_CHAT_MESSAGE, tokens));
      return tokens;
    }

    private Decision.Denied deny(String cost, Instant at) {
      Decision d = gate.check(alice, Operation.AI_CHAT_MESSAGE, tokensCosting(cost), at);
      return assertInstanceOf(Decision.Denied.class, d);
    }

    @Test
    @DisplayName("On Free at zero: Medium pack, $15.00 custom, Pro at $20 with 150, or wait until 15 Feb for 30")
    void onFreeAtZero() {
      walletAtZero();
      Decision.Denied denied = deny("150", NOW);

      assertEquals(Credits.of(150), denied.shortfall());
      WaysOut ways = denied.waysOut();
      assertEquals("medium", ways.topUp().smallestPack().orElseThrow().id());
      assertEquals(Money.usd("15.00"), ways.topUp().customPrice().orElseThrow());
      WaysOut.UpgradeOption upgrade = ways.upgrade().orElseThrow();
      assertEquals("pro", upgrade.plan().id());
      assertEquals(Money.usd("20"), upgrade.price());
      assertEquals(Credits.of(150), upgrade.monthlyCredits());
      assertEquals(RENEWAL, ways.renewal().renewsAt());
      assertEquals("free", ways.renewal().plan());
      assertEquals(Credits.of(30), ways.renewal().credits());
    }

    @Test
    @DisplayName("The shortfall is the cost less what is left, and picks the smallest covering pack")
    void shortfallIsCostLessBalance() {
      gate.openWallet(alice, UTC, T0);
      spend("10", NOW); // 20 left
      Decision.Denied denied = deny("120", NOW);
      assertEquals(Credits.of(20), denied.balanceBefore());
      assertEquals(Credits.of(100), denied.shortfall());
      assertEquals("small", denied.waysOut().topUp().smallestPack().orElseThrow().id(), "100 covers 100");
      assertEquals(Money.usd("10.00"), denied.waysOut().topUp().customPrice().orElseThrow());

      Decision.Denied justOver = deny("120.001", NOW);
      assertEquals(Credits.parse("100.001"), justOver.shortfall());
      assertEquals("medium", justOver.waysOut().topUp().smallestPack().orElseThrow().id());
      assertEquals(Money.usd("10.01"), justOver.waysOut().topUp().customPrice().orElseThrow(),
          "rounded up to the cent that covers it");
    }

    @Test
    @DisplayName("A tiny shortfall is offered the minimum custom price")
    void tinyShortfallGetsMinimumCustomPrice() {
      walletAtZero();
      Decision.Denied denied = assertInstanceOf(Decision.Denied.class,
          gate.check(alice, Operation.GENERATE_IMAGE, 1, NOW));
      assertEquals(Credits.of(2), denied.shortfall());
      assertEquals("small", denied.waysOut().topUp().smallestPack().orElseThrow().id());
      assertEquals(Money.usd("5.00"), denied.waysOut().topUp().customPrice().orElseThrow());
    }

    @Test
    @DisplayName("Beyond the largest pack only a custom price is offered; beyond the custom bound, none")
    void beyondEveryPack() {
      walletAtZero();
      Decision.Denied big = deny("1000.1", NOW);
      assertTrue(big.waysOut().topUp().smallestPack().isEmpty());
      assertEquals(Money.usd("100.01"), big.waysOut().topUp().customPrice().orElseThrow());

      Decision.Denied huge = deny("10000.1", NOW);
      assertTrue(huge.waysOut().topUp().smallestPack().isEmpty());
      assertTrue(huge.waysOut().topUp().customPrice().isEmpty());
    }

    @Test
    @DisplayName("On Pro the next plan up is Team at $49 with 300")
    void onProOffersTeam() {
      gate.openWallet(alice, UTC, T0);
      gate.changePlan(alice, "pro", key(), NOW);
      Decision.Denied denied = deny("151", NOW);
      WaysOut.UpgradeOption upgrade = denied.waysOut().upgrade().orElseThrow();
      assertEquals("team", upgrade.plan().id());
      assertEquals(Money.usd("49"), upgrade.price());
      assertEquals(Credits.of(300), upgrade.monthlyCredits());
      assertEquals(Instant.parse("2025-02-15T10:00:00Z"), denied.waysOut().renewal().renewsAt(),
          "the upgrade restarted the period");
      assertEquals(Credits.of(150), denied.waysOut().renewal().credits());
    }

    @Test
    @DisplayName("On the top plan, team, there is no upgrade to offer")
    void noUpgradeOnTeam() {
      gate.openWallet(alice, UTC, T0);
      gate.changePlan(alice, "team", key(), NOW);
      Decision.Denied denied = deny("301", NOW);
      assertTrue(denied.waysOut().upgrade().isEmpty());
      assertEquals("team", denied.waysOut().renewal().plan());
      assertEquals(Credits.of(300), denied.waysOut().renewal().credits());
    }

    @Test
    @DisplayName("After a downgrade, waiting offers the lower plan's credits")
    void waitAfterDowngrade() {
      gate.openWallet(alice, UTC, T0);
      gate.changePlan(alice, "team", key(), NOW);
      gate.changePlan(alice, "pro", key(), NOW.plusSeconds(1));
      Decision.Denied denied = deny("301", NOW.plusSeconds(2));
      assertEquals("pro", denied.waysOut().renewal().plan());
      assertEquals(Credits.of(150), denied.waysOut().renewal().credits());
    }
  }

  // -----------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("Watch the meter — the widget warns you at 20% and at 0%")
  class WarningsAndMeter {

    @Test
    @DisplayName("Each warning is published once, when the balance first reaches it")
    void warningsOncePerCrossing() {
      gate.openWallet(alice, UTC, T0);
      spend("23.999", NOW); // 6.001 of 30 left
      assertEquals(List.of(), sink.warnings(alice));
      spend("0.001", NOW); // 6 = 20%
      assertEquals(List.of(20), sink.warnings(alice));
      spend("5", NOW);
      assertEquals(List.of(20), sink.warnings(alice), "no second 20% warning");
      spend("1", NOW); // 0
      assertEquals(List.of(20, 0), sink.warnings(alice));
      assertFalse(spend("0.001", NOW).isAllowed());
      assertEquals(List.of(20, 0), sink.warnings(alice));

      WalletEvent.ThresholdCrossed low = sink.of(WalletEvent.ThresholdCrossed.class).get(0);
      assertEquals(Credits.of(6), low.available());
      assertEquals(Credits.of(30), low.reference());
    }

    @Test
    @DisplayName("A new period arms the warnings again")
    void warningsAgainNextPeriod() {
      gate.openWallet(alice, UTC, T0);
      spend("30", NOW);
      assertEquals(List.of(20, 0), sink.warnings(alice), "one charge across both thresholds warns for both");
      spend("24", RENEWAL);
      assertEquals(List.of(20, 0, 20), sink.warnings(alice));
      spend("6", RENEWAL);
      assertEquals(List.of(20, 0, 20, 0), sink.warnings(alice));
    }

    @Test
    @DisplayName("The event sink receives exactly one 20% and one 0% warning (interaction check)")
    void sinkReceivesEachWarningOnce() {
      EventSink mockSink = mock(EventSink.class);
      CreditGate mocked = CreditGate.builder(InMemoryWalletStore.create()).eventSink(mockSink).costTable(defaultCostsPlusUnit()).build();
      mocked.openWallet(alice, UTC, T0);
      for (int i = 0; i < 30; i++) {
        mocked.charge(alice, UNIT, 1_000, IdempotencyKey.of("c" + i), NOW);
      }
      mocked.charge(alice, UNIT, 1_000, IdempotencyKey.of("denied"), NOW);

      verify(mockSink, times(1)).publish(any(), argThat(e ->
          e instanceof WalletEvent.ThresholdCrossed t && t.percent() == 20));
      verify(mockSink, times(1)).publish(any(), argThat(e ->
          e instanceof WalletEvent.ThresholdCrossed t && t.percent() == 0));
    }

    @Test
    @DisplayName("A check never publishes a warning, even when its outcome would cross one")
    void checkNeverWarns() {
      gate.openWallet(alice, UTC, T0);
      Decision d = gate.check(alice, UNIT, 30_000, NOW);
      assertTrue(d.isAllowed());
      assertEquals(Meter.EMPTY, d.meter());
      assertEquals(List.of(), sink.warnings(alice));
    }

    @Test
    @DisplayName("The meter is OK above 20%, LOW at or under 20%, EMPTY at 0")
    void meterStates() {
      gate.openWallet(alice, UTC, T0);
      assertEquals(Meter.OK, gate.status(alice, NOW).meter());
      assertEquals(Meter.OK, spend("23.999", NOW).meter(), "6.001 of 30");
      assertEquals(Meter.OK, gate.status(alice, NOW).meter());
      assertEquals(Meter.LOW, spend("0.001", NOW).meter(), "exactly 20%");
      assertEquals(Meter.LOW, gate.status(alice, NOW).meter());
      assertEquals(Meter.LOW, spend("5.999", NOW).meter(), "0.001 left");
      assertEquals(Meter.EMPTY, spend("0.001", NOW).meter());
      assertEquals(Meter.EMPTY, gate.status(alice, NOW).meter());
    }
  }

  @Test
  @DisplayName("Small — $10 = enough for ~10 features or a few hundred small tweaks")
  void smallPackBuys() {
    CreditGate defaults = CreditGate.builder(InMemoryWalletStore.create()).costTable(CostTable.defaults()).build();
    long features = countUntilDenied(defaults, AccountId.of("features"), 100_000);
    long tweaks = countUntilDenied(defaults, AccountId.of("tweaks"), 2_000);
    assertTrue(features >= 8 && features <= 12, "~10 features of 100k tokens, got " + features);
    assertTrue(tweaks >= 200 && tweaks <= 999, "a few hundred tweaks of 2k tokens, got " + tweaks);
  }

  /** Opens a wallet, spends its subscription, buys a Small pack and counts chat messages until denied. */
  private static long countUntilDenied(CreditGate gate, AccountId account, long tokens) {
    gate.openWallet(account, UTC, T0);
    for (int i = 0; i < 15; i++) {
      gate.charge(account, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("drain-" + i), NOW);
    }
    gate.topUp(account, "small", IdempotencyKey.of("pay"), NOW);
    assertEquals(Credits.of(100), gate.status(account, NOW).available());
    long count = 0;
    while (gate.charge(account, Operation.AI_CHAT_MESSAGE, tokens, IdempotencyKey.of("m" + count), NOW).isAllowed()) {
      count++;
    }
    Credits left = gate.status(account, NOW).available();
    assertTrue(left.isLessThan(gate.costTable().costOf(Operation.AI_CHAT_MESSAGE).of(tokens)),
        "stopped only when one more message no longer fits");
    return count;
  }

  @Test
  @DisplayName("A duplicated top-up webhook (same payment id) grants once")
  void duplicatedWebhookGrantsOnce() {
    walletAtZero();
    IdempotencyKey payment = IdempotencyKey.of("pi_3NxYz");
    TopUp first = gate.topUp(alice, "small", payment, NOW);
    long version = store.load(alice).orElseThrow().version();

    TopUp again = gate.topUp(alice, "small", payment, NOW.plusSeconds(30));
    TopUp later = gate.topUp(alice, "small", payment, RENEWAL.plusSeconds(1));

    assertEquals(first, again);
    assertEquals(first, later);
    assertEquals(Credits.of(100), gate.status(alice, NOW.plusSeconds(30)).packs());
    assertEquals(version, store.load(alice).orElseThrow().version(), "the repeat wrote nothing");
    assertEquals(1, ledger(store, alice).stream()
        .filter(e -> e.kind() == LedgerEntry.Kind.GRANT && e.grant().equals("pack:pi_3NxYz")).count());
    assertEquals(1, sink.of(WalletEvent.CreditsGranted.class).size());
  }

  @Nested
  @DisplayName("Downgrades and cancellations take effect at the next renewal")
  class Downgrade {

    @Test
    @DisplayName("Team → Pro: Team's credits stay until the renewal, then Pro's allowance")
    void downgradeAtNextRenewal() {
      gate.openWallet(alice, UTC, T0);
      gate.changePlan(alice, "team", key(), NOW); // new period from NOW
      spend("50", NOW.plusSeconds(1));
      Instant renewal = gate.status(alice, NOW.plusSeconds(1)).nextRenewal();
      assertEquals(Instant.parse("2025-02-15T10:00:00Z"), renewal);

      PlanChange change = gate.changePlan(alice, "pro", key(), NOW.plusSeconds(2));

      assertFalse(change.immediate());
      assertEquals(renewal, change.effectiveAt());
      assertEquals(Credits.of(250), change.balanceAfter(), "credits already granted stay");
      WalletStatus before = gate.status(alice, renewal.minusMillis(1));
      assertEquals("team", before.plan());
      assertEquals("pro", before.renewalPlan());
      assertEquals(Credits.of(250), before.available());
      assertTrue(gate.check(alice, UNIT, 250_000, renewal.minusMillis(1)).isAllowed());

      WalletStatus after = gate.status(alice, renewal);
      assertEquals("pro", after.plan());
      assertEquals(Credits.of(150), after.subscription());
    }

    @Test
    @DisplayName("Cancelling Pro returns to Free at the next renewal")
    void cancelAtNextRenewal() {
      gate.openWallet(alice, UTC, T0);
      gate.changePlan(alice, "pro", key(), NOW);
      Instant renewal = gate.status(alice, NOW).nextRenewal();
      PlanChange cancel = gate.changePlan(alice, "free", key(), NOW.plusSeconds(1));
      assertFalse(cancel.immediate());
      assertEquals(renewal, cancel.effectiveAt());
      assertEquals("pro", gate.status(alice, renewal.minusMillis(1)).plan());
      WalletStatus after = gate.status(alice, renewal);
      assertEquals("free", after.plan());
      assertEquals(Credits.of(30), after.subscription());
    }
  }

  @Nested
  @DisplayName("Renewal dates: the same day each month, clamped to the month's end")
  class RenewalDates {

    private List<Instant> renewals(String anchor, ZoneId zone, int count) {
      gate.openWallet(alice, zone, Instant.parse(anchor));
      Instant at = Instant.parse(anchor);
      List<Instant> dates = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        at = gate.status(alice, at).nextRenewal();
        dates.add(at);
      }
      return dates;
    }

    @Test
    @DisplayName("Anchor 31 Jan: 28 Feb, 31 Mar, 30 Apr, 31 May — the anchor day is kept")
    void clampedAndKept() {
      assertEquals(List.of(
          Instant.parse("2025-02-28T10:00:00Z"),
          Instant.parse("2025-03-31T10:00:00Z"),
          Instant.parse("2025-04-30T10:00:00Z"),
          Instant.parse("2025-05-31T10:00:00Z")),
          renewals("2025-01-31T10:00:00Z", UTC, 4));
    }

    @Test
    @DisplayName("Anchor 31 Jan in a leap year: 29 Feb, then 31 Mar")
    void leapYear() {
      assertEquals(List.of(Instant.parse("2024-02-29T10:00:00Z"), Instant.parse("2024-03-31T10:00:00Z")),
          renewals("2024-01-31T10:00:00Z", UTC, 2));
    }

    @Test
    @DisplayName("The local time is kept across daylight saving (Europe/Paris)")
    void localTimeKept() {
      assertEquals(List.of(Instant.parse("2025-02-28T09:00:00Z"), Instant.parse("2025-03-31T08:00:00Z")),
          renewals("2025-01-31T09:00:00Z", ZoneId.of("Europe/Paris"), 2));
    }

    @Test
    @DisplayName("Credits refresh on 28 Feb for a wallet anchored on 31 Jan")
    void refreshOnClampedDate() {
      Instant anchor = Instant.parse("2025-01-31T10:00:00Z");
      gate.openWallet(alice, UTC, anchor);
      spend("10", anchor.plusSeconds(60));
      Instant feb28 = Instant.parse("2025-02-28T10:00:00Z");
      assertEquals(Credits.of(20), gate.status(alice, feb28.minusSeconds(1)).subscription());
      assertEquals(Credits.of(30), gate.status(alice, feb28).subscription());
    }
  }

  @Test
  @DisplayName("A wallet untouched for three months rolls forward once: one expiry, one refresh")
  void untouchedThreeMonths() {
    gate.openWallet(alice, UTC, T0);
    spend("10", NOW);
    int entriesBefore = ledger(store, alice).size();
    sink.clear();
    Instant april = Instant.parse("2025-04-20T12:00:00Z");

    long version = store.load(alice).orElseThrow().version();
    WalletStatus read = gate.status(alice, april);
    assertEquals(Credits.of(30), read.subscription());
    assertEquals(version, store.load(alice).orElseThrow().version(), "a read rolls forward in memory only");

    spend("1", april);

    List<LedgerEntry> added = ledger(store, alice).subList(entriesBefore, ledger(store, alice).size());
    assertEquals(List.of(LedgerEntry.Kind.EXPIRY, LedgerEntry.Kind.GRANT, LedgerEntry.Kind.DEBIT),
        added.stream().map(LedgerEntry::kind).toList());
    assertEquals(Credits.of(-20), added.get(0).amount());
    assertEquals(RENEWAL, added.get(0).at(), "expired at the first missed renewal");
    assertEquals(Credits.of(30), added.get(1).amount(), "granted once, not three times");
    assertEquals(Instant.parse("2025-04-15T09:00:00Z"), added.get(1).at(), "at the last missed renewal");
    assertEquals(1, sink.of(WalletEvent.SubscriptionRenewed.class).size());
    assertEquals(1, sink.of(WalletEvent.SubscriptionCreditsExpired.class).size());
    WalletStatus status = gate.status(alice, april);
    assertEquals(Credits.of(29), status.available());
    assertEquals(Instant.parse("2025-05-15T09:00:00Z"), status.nextRenewal());
    assertEquals(ledgerBalance(ledger(store, alice)), status.available());
    assertNotEquals(version, store.load(alice).orElseThrow().version());
  }
}
