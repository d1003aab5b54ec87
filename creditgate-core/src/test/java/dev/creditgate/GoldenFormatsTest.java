package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Cost;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.Promotion;
import dev.creditgate.model.WalletEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The persisted formats are pinned by the golden files of creditgate-testkit: every line must decode
 * to the value it was written from (built here, not read back from the file) and encode again to the
 * same text, byte for byte. A line that no longer does means stores full of records this format
 * wrote can no longer be read; never edit a line, add a format instead.
 */
class GoldenFormatsTest {
  /** Surefire runs in the module's folder; the files are the testkit's resources. */
  private static final Path GOLDEN = Path.of("../creditgate-testkit/src/main/resources/creditgate-golden");

  private static IdempotencyKey key(String value) {
    return IdempotencyKey.of(value);
  }

  /** What requests-v1.txt holds, in its order. */
  static Map<String, Request> requests() {
    Map<String, Request> r = new LinkedHashMap<>();
    r.put("charge", new Request.Charge(Operation.AI_CHAT_MESSAGE, 1_800, Optional.empty()));
    r.put("charge by a member", new Request.Charge(Operation.GENERATE_IMAGE, 2, Optional.of(AccountId.of("bob"))));
    r.put("charge, an id with the old separators",
        new Request.Charge(Operation.of("a x1 by b"), 11, Optional.of(AccountId.of("1:c x2"))));
    r.put("reserve", new Request.Reserve(Operation.AI_CHAT_MESSAGE, 100_000, Optional.empty()));
    r.put("reserve by a member", new Request.Reserve(Operation.CONNECT_INTEGRATION, 1, Optional.of(AccountId.of("-"))));
    r.put("capture", new Request.Capture(key("h-1"), 1_200, Outcome.succeeded()));
    r.put("capture, failed at the model", new Request.Capture(key("h-2"), 0, Outcome.failedAtModel()));
    r.put("capture, platform error", new Request.Capture(key("h-3"), 7, Outcome.platformError()));
    r.put("capture of a retry", new Request.Capture(key("a x1"), 5, Outcome.retryOf(key("h-0 x2 SUCCEEDED"))));
    r.put("release", new Request.Release(key("h-1")));
    r.put("top-up pack", new Request.TopUpPack("small"));
    r.put("top-up custom", new Request.TopUpCustom(Money.usd("49.99")));
    r.put("top-up custom, no minor unit", new Request.TopUpCustom(Money.of("500", "JPY")));
    r.put("change plan", new Request.ChangePlan("pro"));
    r.put("refund pack", new Request.RefundPack(key("pay_1:2"), Credits.of(50)));
    r.put("refund charge", new Request.RefundCharge(key("msg-42"), Credits.ofThousandths(1_500)));
    r.put("adjust down", new Request.Adjust(Credits.ofThousandths(-2_500), "support: duplicate; ticket 12"));
    r.put("adjust up, text beyond the BMP", new Request.Adjust(Credits.of(10), "geste commercial ✓ 😀"));
    r.put("add member", new Request.AddMember(AccountId.of("carol")));
    r.put("remove member", new Request.RemoveMember(AccountId.of("carol")));
    r.put("set member cap", new Request.SetMemberCap(AccountId.of("carol"), Optional.of(Credits.of(40))));
    r.put("remove member cap", new Request.SetMemberCap(AccountId.of("carol"), Optional.empty()));
    Instant expiry = Instant.parse("2026-03-16T00:00:00.000000001Z");
    r.put("grant promotion", new Request.GrantPromotion(Promotion.of(Credits.of(20), expiry, "welcome bonus")));
    r.put("grant promotion, scoped, prioritised", new Request.GrantPromotion(
        Promotion.of(Credits.parse("7.5"), expiry, "referral; by bob ✓").scopedTo(Operation.GENERATE_IMAGE,
            Operation.AI_CHAT_MESSAGE).withPriority(0)));
    r.put("revoke promotion", new Request.RevokePromotion(key("welcome:maya"), Credits.parse("2.5")));
    r.put("set auto top-up, a pack", new Request.SetAutoTopUp(Optional.of(packRule())));
    r.put("set auto top-up, a target balance", new Request.SetAutoTopUp(Optional.of(targetRule())));
    r.put("turn auto top-up off", new Request.SetAutoTopUp(Optional.empty()));
    r.put("decline auto top-up", new Request.DeclineAutoTopUp("autotopup:maya:1", "card_declined; insufficient ✓"));
    r.put("reverse pack", new Request.ReversePack(key("pi_3:chargeback ✓")));
    return r;
  }

  /**
   * What answers-v2.txt holds, in its order: every answer of answers-v1.txt (those have no cost
   * breakdown: not itemized), and decisions and settlements of every kind of cost, itemized.
   */
  static Map<String, Object> answersV2() {
    Map<String, Object> a = new LinkedHashMap<>(answers());
    CostTable table = CostTable.defaults();
    a.put("decision, itemized", new Decision.Allowed(Operation.AI_CHAT_MESSAGE, 1_800, Credits.ofThousandths(280),
        Credits.of(30), Credits.ofThousandths(29_720), Meter.OK,
        table.costOf(Operation.AI_CHAT_MESSAGE).explain(1_800)));
    a.put("decision, rounded up to the credit unit", new Decision.Allowed(Operation.AI_CHAT_MESSAGE, 1_801,
        Credits.ofThousandths(281), Credits.of(30), Credits.ofThousandths(29_719), Meter.OK,
        table.costOf(Operation.AI_CHAT_MESSAGE).explain(1_801)));
    a.put("decision, fixed, into overdraft", new Decision.Allowed(Operation.of("a x1"), 3, Credits.of(6),
        Credits.of(5), Credits.of(-1), Meter.EMPTY, Cost.fixed(Credits.of(2)).explain(3)));
    a.put("decision, free", new Decision.Allowed(Operation.SERVE_LIVE_APP, 1, Credits.ZERO, Credits.of(5),
        Credits.of(5), Meter.OK, Cost.free().explain(1)));
    a.put("decision, metered with no base and a block of 3", new Decision.Allowed(Operation.of("render"), 10,
        Credits.ofThousandths(4), Credits.of(5), Credits.ofThousandths(4_996), Meter.OK,
        Cost.metered(Credits.ZERO, Credits.ofThousandths(1), 3).explain(10)));
    a.put("capture, itemized", new HoldSettlement("h-1", Operation.AI_CHAT_MESSAGE, Outcome.succeeded(),
        Credits.ofThousandths(10_100), Credits.ofThousandths(220), Credits.ofThousandths(220),
        Credits.ofThousandths(220), Credits.ofThousandths(29_780), Meter.OK,
        table.costOf(Operation.AI_CHAT_MESSAGE).explain(1_200)));
    a.put("capture of a retry, itemized, half charged", new HoldSettlement("h-2", Operation.GENERATE_IMAGE,
        Outcome.retryOf(key("h-1")), Credits.of(2), Credits.of(2), Credits.of(1), Credits.of(1), Credits.of(3),
        Meter.LOW, table.costOf(Operation.GENERATE_IMAGE).explain(1).withShare(5_000)));
    a.put("capture failed at the model, the share rounded up", new HoldSettlement("h-4", Operation.AI_CHAT_MESSAGE,
        Outcome.failedAtModel(), Credits.of(1), Credits.ofThousandths(281), Credits.ofThousandths(141),
        Credits.ofThousandths(141), Credits.ofThousandths(29_859), Meter.OK,
        table.costOf(Operation.AI_CHAT_MESSAGE).explain(1_801).withShare(5_000)));
    a.put("capture of nothing produced", new HoldSettlement("h-5", Operation.GENERATE_IMAGE, Outcome.platformError(),
        Credits.of(2), Credits.ZERO, Credits.ZERO, Credits.ZERO, Credits.of(30), Meter.OK,
        table.costOf(Operation.GENERATE_IMAGE).explain(0).withShare(2_500)));
    a.put("release, itemized", new HoldSettlement("h-3", Operation.CONNECT_INTEGRATION, null, Credits.of(5),
        Credits.ZERO, Credits.ZERO, Credits.ZERO, Credits.of(30), Meter.OK, Cost.free().explain(0)));
    Instant at = Instant.parse("2026-03-02T08:00:00.000000001Z");
    a.put("auto top-up, off", new AutoTopUpStatus(Optional.empty(), Optional.empty(), 0, Optional.empty(), 0,
        Optional.empty(), Optional.empty(), Optional.empty(), false));
    a.put("auto top-up, an open request after a refusal and a decline", new AutoTopUpStatus(Optional.of(packRule()),
        Optional.of(new AutoTopUpStatus.OpenRequest("autotopup:maya:7", "medium", Credits.of(150), Money.usd("25.00"),
            at)), 2, Optional.of(Money.usd("50.00")), 1, Optional.of(at.plusSeconds(3_600)),
        Optional.of(new AutoTopUpStatus.Refusal(at.minusSeconds(60), AutoTopUp.Limit.COUNT, Money.usd("25.00"))),
        Optional.of(new AutoTopUpStatus.Decline(at.minusSeconds(7_200), "autotopup:maya:6", "card_declined: ✓ 1")),
        false));
    a.put("auto top-up to a balance, switched off", new AutoTopUpStatus(Optional.empty(), Optional.empty(), 0,
        Optional.empty(), 2, Optional.of(at), Optional.empty(), Optional.of(new AutoTopUpStatus.Decline(at,
            "autotopup:maya:2", "do_not_honor")), true));
    a.put("auto top-up to a balance, on", new AutoTopUpStatus(Optional.of(targetRule()), Optional.empty(), 1,
        Optional.of(Money.of("9.10", "EUR")), 0, Optional.empty(), Optional.empty(), Optional.empty(), false));
    return a;
  }

  /** What answers-v1.txt holds, in its order: every answer without a cost breakdown (not itemized). */
  static Map<String, Object> answers() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("decision", new Decision.Allowed(Operation.AI_CHAT_MESSAGE, 1_800, Credits.ofThousandths(280),
        Credits.of(30), Credits.ofThousandths(29_720), Meter.OK));
    a.put("decision, into overdraft", new Decision.Allowed(Operation.of("a x1"), 3, Credits.of(6),
        Credits.of(5), Credits.of(-1), Meter.EMPTY));
    a.put("top-up", new TopUp("pack:pay-1", "small", Credits.of(100), Credits.of(130), Meter.OK));
    a.put("plan change, upgrade", new PlanChange("free", "pro", true, Instant.parse("2026-03-01T10:00:00Z"),
        Credits.of(150), List.of()));
    a.put("plan change, members to remove", new PlanChange("team", "pro", false,
        Instant.parse("2026-04-01T00:00:00Z"), Credits.ofThousandths(12_345),
        List.of(AccountId.of("carol"), AccountId.of("dan:1"))));
    a.put("capture", new HoldSettlement("h-1", Operation.AI_CHAT_MESSAGE, Outcome.succeeded(),
        Credits.ofThousandths(10_100), Credits.ofThousandths(220), Credits.ofThousandths(220),
        Credits.ofThousandths(220), Credits.ofThousandths(29_780), Meter.OK));
    a.put("capture of a retry", new HoldSettlement("h-2", Operation.GENERATE_IMAGE, Outcome.retryOf(key("h-1")),
        Credits.of(2), Credits.of(2), Credits.of(1), Credits.of(1), Credits.of(3), Meter.LOW));
    a.put("release", new HoldSettlement("h-3", Operation.CONNECT_INTEGRATION, null, Credits.of(5), Credits.ZERO,
        Credits.ZERO, Credits.ZERO, Credits.of(30), Meter.OK));
    a.put("refund", new BalanceChange("refund:r-1", Credits.of(2), Credits.of(32), Meter.OK));
    a.put("adjustment down", new BalanceChange("", Credits.ofThousandths(-2_500), Credits.ofThousandths(27_500),
        Meter.OK));
    a.put("seat", new SeatDecision.Added(AccountId.of("carol"), 2, 3));
    a.put("member usage", new MemberUsage(AccountId.of("carol"), Optional.of(Credits.of(40)), Credits.of(12),
        Map.of(Operation.AI_CHAT_MESSAGE, Credits.of(10), Operation.GENERATE_IMAGE, Credits.of(2))));
    a.put("member usage, no cap", new MemberUsage(AccountId.of("dan"), Optional.empty(), Credits.ZERO, Map.of()));
    a.put("count", 2);
    return a;
  }

  /**
   * What wallets-v1.txt holds (with {@code events} 0: a w1 wallet recorded no event), or
   * wallets-v2.txt (with {@code events} 1: the same wallets, having recorded events), in order.
   */
  static Map<String, Wallet> wallets(int events) {
    Map<String, Wallet> w = new LinkedHashMap<>();
    Instant opened = Instant.parse("2026-01-31T09:30:00.123456789Z");
    RenewalSchedule schedule = RenewalSchedule.startingAt(opened, java.time.ZoneId.of("Europe/Paris"));
    w.put("opened on Free", new Wallet(AccountId.of("maya"), "free", "free", schedule, 0, Credits.of(30),
        List.of(), List.of(), Credits.ZERO, Credits.of(30), 0, Map.of(), List.of(), events));
    Instant at = Instant.parse("2026-03-02T08:00:00Z");
    w.put("a team with packs, holds, members, refunds and a downgrade", new Wallet(AccountId.of("team:ä ✓/1"),
        "team", "pro", schedule, 3, Credits.ofThousandths(123_456),
        List.of(new PackGrant("pack:pi_1", "small", Credits.of(100), Credits.ofThousandths(99_999), at),
            new PackGrant("pack:pi 2:x", "custom", Credits.parse("7.5"), Credits.parse("7.5"), at.plusNanos(1))),
        List.of(new Hold("gen-1", Operation.GENERATE_IMAGE, Credits.of(4), at, at.plusSeconds(900),
                Optional.of(AccountId.of("bob"))),
            new Hold("chat 2", Operation.AI_CHAT_MESSAGE, Credits.parse("0.333"), at, at.plusSeconds(60),
                Optional.empty())),
        Credits.ZERO, Credits.parse("407.5"), 0b01, Map.of("img-1", Credits.of(2), "msg:2", Credits.parse("0.5")),
        List.of(new Member(AccountId.of("bob"), at, Optional.of(Credits.of(50)), Credits.parse("12.5"),
                Map.of("generate-image", Credits.of(10), "ai-chat-message", Credits.parse("2.5"))),
            new Member(AccountId.of("carol"), at.plusSeconds(9), Optional.empty(), Credits.ZERO, Map.of())),
        events == 0 ? 0 : 42));
    w.put("in debt after an overdraft", new Wallet(AccountId.of("noah"), "pro", "pro", schedule, 1, Credits.ZERO,
        List.of(), List.of(), Credits.parse("1.5"), Credits.of(150), 0b11, Map.of(), List.of(),
        events == 0 ? 0 : Long.MAX_VALUE));
    return w;
  }

  @Test
  void everyWalletLineOfVersionOneStillDecodesToItsWallet() throws IOException {
    Map<String, String> lines = read("wallets-v1.txt");
    Map<String, Wallet> expected = wallets(0);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(lines.keySet()), "the lines of wallets-v1.txt");
    expected.forEach((id, wallet) -> {
      String text = lines.get(id);
      assertEquals(wallet, WalletCodec.decode(text), id);
      assertEquals(wallet, Wallet.of(dev.creditgate.spi.WalletState.ofEncoded(text)), id + ", as a store hands it back");
    });
  }

  @Test
  void everyWalletLineOfVersionTwoStillDecodesToItsWallet() throws IOException {
    Map<String, String> lines = read("wallets-v2.txt");
    Map<String, Wallet> expected = wallets(1);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(lines.keySet()), "the lines of wallets-v2.txt");
    expected.forEach((id, wallet) -> {
      String text = lines.get(id);
      assertEquals(wallet, WalletCodec.decode(text), id);
      assertEquals(wallet, Wallet.of(dev.creditgate.spi.WalletState.ofEncoded(text)), id + ", as a store hands it back");
    });
  }

  /**
   * What wallets-v3.txt holds: the wallets of wallets-v2.txt (no usage recorded), and wallets with
   * a usage history: days spent, a period in force, completed periods that ran out and bought packs.
   */
  static Map<String, Wallet> walletsV3() {
    Map<String, Wallet> w = new LinkedHashMap<>(wallets(1));
    Wallet opened = w.get("opened on Free");
    Instant monday = Instant.parse("2026-03-02T08:00:00Z");
    UsageHistory oneDay = UsageHistory.EMPTY.spent(monday, Credits.parse("0.3"));
    w.put("a first spend", withUsage(opened, oneDay));
    Instant start = Instant.parse("2026-01-31T09:30:00Z");
    UsageHistory busy = UsageHistory.EMPTY.spent(start.plusSeconds(60), Credits.of(12))
        .bought(Credits.of(100), Money.usd("10"))
        .ranOut(start.plusSeconds(3_600))
        .closePeriod(start, Instant.parse("2026-02-28T09:30:00Z"))
        .closePeriod(Instant.parse("2026-02-28T09:30:00Z"), Instant.parse("2026-03-31T08:30:00Z"))
        .spent(Instant.parse("2026-03-30T23:59:59.999999999Z"), Credits.parse("1.5"))
        .spent(Instant.parse("2026-04-02T10:00:00Z"), Credits.parse("0.001"))
        .spent(Instant.parse("2026-04-02T11:00:00Z"), Credits.of(2))
        .bought(Credits.of(250), Money.usd("25"))
        .bought(Credits.parse("7.5"), Money.of("1", "EUR"))
        .ranOut(Instant.parse("2026-04-02T11:00:00Z"));
    w.put("spent on several days, packs bought, two periods closed, ran out", withUsage(opened, busy));
    UsageHistory yen = UsageHistory.EMPTY.bought(Credits.of(50), Money.of("500", "JPY"));
    w.put("a pack bought, nothing spent yet", withUsage(opened, yen));
    return w;
  }

  private static Wallet withUsage(Wallet w, UsageHistory usage) {
    return new Wallet(w.account(), w.planId(), w.renewalPlanId(), w.schedule(), w.period(), w.subscription(),
        w.packs(), w.holds(), w.debt(), w.reference(), w.warningsRaised(), w.refunded().charges(), w.members(),
        w.eventsRecorded(), usage);
  }

  @Test
  void everyWalletLineOfVersionThreeStillDecodesToItsWallet() throws IOException {
    Map<String, String> lines = read("wallets-v3.txt");
    Map<String, Wallet> expected = walletsV3();
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(lines.keySet()), "the lines of wallets-v3.txt");
    expected.forEach((id, wallet) -> {
      String text = lines.get(id);
      assertEquals(wallet, WalletCodec.decode(text), id);
      assertEquals(wallet, Wallet.of(dev.creditgate.spi.WalletState.ofEncoded(text)), id + ", as a store hands it back");
    });
  }

  /**
   * What wallets-v4.txt holds: the wallets of wallets-v3.txt (no promotions), and wallets with
   * promotional grants: for every operation, scoped and prioritised, warned of their expiry; and a
   * depleted wallet (its raised warnings with the depletion's bit, the sign bit, set).
   */
  static Map<String, Wallet> walletsV4() {
    Map<String, Wallet> w = new LinkedHashMap<>(walletsV3());
    Wallet opened = w.get("opened on Free");
    Instant at = Instant.parse("2026-03-02T08:00:00Z");
    Instant expiry = Instant.parse("2026-03-16T08:00:00.000000001Z");
    w.put("a welcome promotion", withPromotions(opened, List.of(new PromotionGrant("promo:welcome", "welcome bonus",
        Credits.of(20), Credits.parse("12.5"), at, expiry, 50, List.of(), false))));
    w.put("promotions scoped and prioritised, one warned", withPromotions(opened, List.of(
        new PromotionGrant("promo:img 1", "referral: bob ✓", Credits.of(10), Credits.of(10), at, expiry.plusSeconds(60), 0,
            List.of("generate-image"), false),
        new PromotionGrant("promo:support", "ticket 12; sorry", Credits.of(5), Credits.parse("0.001"), at.plusNanos(1),
            expiry, 50, List.of("ai-chat-message", "plan-mode-message"), true),
        new PromotionGrant("promo:welcome", "welcome bonus", Credits.of(20), Credits.of(20), at, expiry.plusSeconds(1),
            50, List.of(), false))));
    Wallet debt = w.get("in debt after an overdraft");
    w.put("depleted, under every threshold", new Wallet(debt.account(), debt.planId(), debt.renewalPlanId(),
        debt.schedule(), debt.period(), debt.subscription(), debt.packs(), debt.holds(), debt.debt(), debt.reference(),
        WalletRules.DEPLETED_BIT | 0b111, debt.refunded(), debt.team(), debt.eventsRecorded(), debt.usage(),
        List.of(), null));
    return w;
  }

  private static Wallet withPromotions(Wallet w, List<PromotionGrant> promotions) {
    return new Wallet(w.account(), w.planId(), w.renewalPlanId(), w.schedule(), w.period(), w.subscription(),
        w.packs(), w.holds(), w.debt(), w.reference(), w.warningsRaised(), w.refunded(), w.team(),
        w.eventsRecorded(), w.usage(), promotions, w.autoTopUp());
  }

  @Test
  void everyWalletLineOfVersionFourStillDecodesToItsWallet() throws IOException {
    Map<String, String> lines = read("wallets-v4.txt");
    Map<String, Wallet> expected = walletsV4();
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(lines.keySet()), "the lines of wallets-v4.txt");
    expected.forEach((id, wallet) -> {
      String text = lines.get(id);
      assertEquals(wallet, WalletCodec.decode(text), id);
      assertEquals(wallet, Wallet.of(dev.creditgate.spi.WalletState.ofEncoded(text)), id + ", as a store hands it back");
    });
  }

  /** The rules the golden lines of auto top-up hold: a pack, and a target balance in euros. */
  static AutoTopUp packRule() {
    return AutoTopUp.withPack("medium", Credits.parse("10.5"), Money.usd("75.00"), 3);
  }

  static AutoTopUp targetRule() {
    return AutoTopUp.toBalance(Credits.of(100), Credits.ZERO, Money.of("40.00", "EUR"), 5).withDeclineLimit(2)
        .withBackoff(Duration.ofHours(36).plusNanos(1));
  }

  /**
   * What wallets-v5.txt holds: the wallets of wallets-v4.txt (nothing in w5's sections); wallets
   * with the auto top-up section: on with nothing asked yet; with an open request after a refusal
   * and a decline, in back-off; switched off after its declines, with promotions too; a wallet with
   * the returns section (a pack partly refunded, a pack reversed, a charge refunded) and one with
   * the team section (two former members of the period, one with spending); and one with all three
   * sections, which pins their order.
   */
  static Map<String, Wallet> walletsV5() {
    Map<String, Wallet> w = new LinkedHashMap<>(walletsV4());
    Wallet opened = w.get("opened on Free");
    Instant start = opened.schedule().periodStart(opened.period());
    Instant at = Instant.parse("2026-03-02T08:00:00.000000001Z");
    w.put("auto top-up on, nothing requested", withAutoTopUp(opened, AutoTopUpState.first(packRule(), start)));
    w.put("auto top-up with an open request, refused and declined before", withAutoTopUp(opened, new AutoTopUpState(
        packRule(), true, start, 2, Money.usd("50.00"), 7, new AutoTopUpStatus.OpenRequest("autotopup:maya:7", "medium",
            Credits.of(150), Money.usd("25.00"), at), true, 1, at.plusSeconds(3_600), new AutoTopUpStatus.Refusal(
                at.minusSeconds(60), AutoTopUp.Limit.COUNT, Money.usd("25.00")), true, new AutoTopUpStatus.Decline(
                    at.minusSeconds(7_200), "autotopup:maya:6", "card_declined: ✓ 1"), false)));
    Wallet promoted = w.get("a welcome promotion");
    w.put("auto top-up to a balance, switched off after declines, with a promotion", withAutoTopUp(promoted,
        new AutoTopUpState(targetRule(), false, start, 0, Money.of("0.00", "EUR"), 2, null, false, 2, at.plus(
            Duration.ofHours(36).plusNanos(1)), null, false, new AutoTopUpStatus.Decline(at, "autotopup:maya:2",
                "do_not_honor"), true)));
    Instant returnedAt = Instant.parse("2026-03-02T08:00:00Z");
    w.put("a pack partly refunded, one reversed, a charge refunded", new Wallet(opened.account(), opened.planId(),
        opened.renewalPlanId(), opened.schedule(), opened.period(), Credits.ZERO,
        List.of(new PackGrant("pack:pi_1", "small", Credits.of(100), Credits.parse("60.5"), returnedAt)), List.of(),
        Credits.ZERO, opened.reference(), 0, new Returns(Map.of("msg 1", Credits.parse("0.5")),
            Map.of("pack:pi_1", Credits.of(10), "pack:pi_2;x", Credits.of(25)),
            Map.of("pack:pi_2;x", Credits.parse("237.25"), "pack:pi_0", Credits.ZERO)),
        opened.team(), opened.eventsRecorded(), opened.usage(), List.of(), null));
    Wallet team = w.get("a team with packs, holds, members, refunds and a downgrade");
    w.put("a team with two former members of the period", new Wallet(team.account(), team.planId(),
        team.renewalPlanId(), team.schedule(), team.period(), team.subscription(), team.packs(), team.holds(),
        team.debt(), team.reference(), team.warningsRaised(), team.refunded(), new Team(team.members(), List.of(
            new Member(AccountId.of("carol ✓"), Instant.parse("2026-03-01T00:00:00.5Z"), Optional.of(Credits.of(10)),
                Credits.parse("2.5"), Map.of("generate-image", Credits.parse("2.5"))),
            new Member(AccountId.of("dan"), Instant.parse("2026-03-02T00:00:00Z"), Optional.of(Credits.ZERO),
                Credits.ZERO, Map.of()))),
        team.eventsRecorded(), team.usage(), team.promotions(), team.autoTopUp()));
    Wallet former = w.get("a team with two former members of the period");
    w.put("every w5 section: auto top-up, returns and former members", new Wallet(former.account(),
        former.planId(), former.renewalPlanId(), former.schedule(), former.period(), former.subscription(),
        former.packs(), former.holds(), former.debt(), former.reference(), former.warningsRaised(),
        w.get("a pack partly refunded, one reversed, a charge refunded").refunded(), former.team(),
        former.eventsRecorded(), former.usage(), former.promotions(), AutoTopUpState.first(targetRule(), start)));
    return w;
  }

  private static Wallet withAutoTopUp(Wallet w, AutoTopUpState autoTopUp) {
    return new Wallet(w.account(), w.planId(), w.renewalPlanId(), w.schedule(), w.period(), w.subscription(),
        w.packs(), w.holds(), w.debt(), w.reference(), w.warningsRaised(), w.refunded(), w.team(),
        w.eventsRecorded(), w.usage(), w.promotions(), autoTopUp);
  }

  @Test
  void everyWalletLineDecodesToItsWalletAndEncodesBackToTheSameText() throws IOException {
    Map<String, String> lines = read("wallets-v5.txt");
    Map<String, Wallet> expected = walletsV5();
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(lines.keySet()), "the lines of wallets-v5.txt");
    expected.forEach((id, wallet) -> {
      String text = lines.get(id);
      assertEquals(wallet, WalletCodec.decode(text), id);
      assertEquals(text, wallet.encoded(), id);
      assertEquals(wallet, Wallet.of(dev.creditgate.spi.WalletState.ofEncoded(text)), id + ", as a store hands it back");
    });
  }

  /** What events-v1.txt holds, in its order. */
  static Map<String, WalletEvent> events() {
    Map<String, WalletEvent> e = new LinkedHashMap<>();
    Instant at = Instant.parse("2026-03-02T08:00:00.000000001Z");
    AccountId maya = AccountId.of("maya");
    AccountId team = AccountId.of("team:ä ✓/1");
    e.put("threshold crossed", new WalletEvent.ThresholdCrossed(maya, at, 20, Credits.parse("5.999"), Credits.of(30)));
    e.put("threshold crossed at zero, in debt", new WalletEvent.ThresholdCrossed(maya, at, 0, Credits.parse("-1.5"),
        Credits.of(150)));
    e.put("credits granted", new WalletEvent.CreditsGranted(maya, at, "pack:pi_1:x", Credits.of(100)));
    e.put("subscription renewed", new WalletEvent.SubscriptionRenewed(team, at, "team", Credits.of(750),
        Instant.parse("2026-04-02T08:00:00Z")));
    e.put("subscription credits expired", new WalletEvent.SubscriptionCreditsExpired(maya, at, Credits.parse("0.001")));
    e.put("plan changed", new WalletEvent.PlanChanged(maya, at, "free", "pro", at));
    e.put("plan change scheduled", new WalletEvent.PlanChanged(team, at, "team", "pro",
        Instant.parse("2026-04-02T08:00:00Z")));
    e.put("member added", new WalletEvent.MemberAdded(team, at, AccountId.of("bob 1")));
    e.put("member removed", new WalletEvent.MemberRemoved(team, at, AccountId.of("carol")));
    Instant expiry = Instant.parse("2026-03-16T00:00:00Z");
    e.put("promotion granted", new WalletEvent.PromotionGranted(maya, at, "promo:welcome", Credits.of(20), expiry,
        "welcome bonus", List.of(), 50));
    e.put("promotion granted, scoped", new WalletEvent.PromotionGranted(maya, at, "promo:ref 1", Credits.parse("7.5"),
        expiry, "referral: bob", List.of(Operation.AI_CHAT_MESSAGE, Operation.GENERATE_IMAGE), 0));
    e.put("promotion expired", new WalletEvent.PromotionExpired(maya, expiry, "promo:welcome", Credits.parse("12.3")));
    e.put("balance below", new WalletEvent.BalanceBelow(maya, at, Credits.of(5), Credits.parse("4.999")));
    e.put("credits depleted, in debt", new WalletEvent.CreditsDepleted(maya, at, Credits.parse("-1.5")));
    e.put("promotion expiring", new WalletEvent.PromotionExpiring(maya, at, "promo:welcome", Credits.parse("12.3"),
        expiry));
    e.put("auto top-up requested", new WalletEvent.AutoTopUpRequested(maya, at, "autotopup:maya:1", "medium",
        Credits.of(150), Money.usd("25.00")));
    e.put("auto top-up requested, a target balance", new WalletEvent.AutoTopUpRequested(team, at,
        "autotopup:team:ä ✓/1:12", "custom", Credits.parse("45.5"), Money.of("9.10", "EUR")));
    e.put("auto top-up refused", new WalletEvent.AutoTopUpRefused(maya, at, AutoTopUp.Limit.AMOUNT, Money.usd("25.00"),
        2, Money.usd("50.00")));
    e.put("auto top-up switched off", new WalletEvent.AutoTopUpDisabled(maya, at, 3, "card_declined; do not honor"));
    e.put("pack reversed", new WalletEvent.PackReversed(maya, at, "pack:pi_2;x", Credits.parse("62.75"),
        Credits.parse("37.25")));
    return e;
  }

  @Test
  void everyEventLineDecodesToItsEventAndEncodesBackToTheSameText() throws IOException {
    Map<String, String> lines = read("events-v1.txt");
    Map<String, WalletEvent> expected = events();
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(lines.keySet()), "the lines of events-v1.txt");
    expected.forEach((id, event) -> {
      String text = lines.get(id);
      assertEquals(event, EventCodec.decode(text), id);
      assertEquals(text, EventCodec.encode(event), id);
    });
  }

  @Test
  void theEventsFileHasEveryTypeOfEvent() {
    Set<Class<?>> pinned = events().values().stream().map(Object::getClass).collect(Collectors.toSet());
    assertEquals(Set.copyOf(Arrays.asList(WalletEvent.class.getPermittedSubclasses())), pinned);
  }

  @Test
  void everyRequestLineDecodesToItsRequestAndEncodesBackToTheSameText() throws IOException {
    Map<String, String> lines = read("requests-v1.txt");
    Map<String, Request> expected = requests();
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(lines.keySet()), "the lines of requests-v1.txt");
    expected.forEach((id, request) -> {
      String text = lines.get(id);
      assertEquals(request, RequestCodec.decode(text), id);
      assertEquals(text, RequestCodec.encode(request), id);
    });
  }

  @Test
  void everyAnswerLineDecodesToItsAnswerAndEncodesBackToTheSameText() throws IOException {
    Map<String, String> lines = read("answers-v2.txt");
    Map<String, Object> expected = answersV2();
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(lines.keySet()), "the lines of answers-v2.txt");
    expected.forEach((id, answer) -> {
      Receipts.Codec<Object> codec = ReceiptsPropertiesTest.codecOf(answer);
      String text = lines.get(id);
      assertEquals(answer, codec.decode(text), id);
      assertEquals(text, codec.encode(answer), id);
    });
  }

  /** 0.2's answers still decode, their costs not itemized. */
  @Test
  void everyAnswerLineOfVersionOneStillDecodesToItsAnswer() throws IOException {
    Map<String, String> lines = read("answers-v1.txt");
    Map<String, Object> expected = answers();
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(lines.keySet()), "the lines of answers-v1.txt");
    expected.forEach((id, answer) -> {
      Receipts.Codec<Object> codec = ReceiptsPropertiesTest.codecOf(answer);
      assertEquals(answer, codec.decode(lines.get(id)), id);
    });
  }

  @Test
  void theRequestsFileHasEveryTypeOfRequest() {
    Set<Class<?>> pinned = requests().values().stream().map(Object::getClass).collect(Collectors.toSet());
    assertEquals(Set.copyOf(Arrays.asList(Request.class.getPermittedSubclasses())), pinned);
  }

  @Test
  void eachFileSaysThatLaterReleasesMustReadIt() throws IOException {
    for (String file : List.of("requests-v1.txt", "answers-v1.txt", "answers-v2.txt", "wallets-v1.txt",
        "wallets-v2.txt", "wallets-v3.txt", "wallets-v4.txt", "wallets-v5.txt",
        "events-v1.txt")) {
      String header = Files.readAllLines(GOLDEN.resolve(file), StandardCharsets.UTF_8).stream()
          .filter(line -> line.startsWith("#")).collect(Collectors.joining("\n"));
      assertTrue(header.contains("must read"), file + " header:\n" + header);
    }
  }

  /** The file's lines but comments and blank lines: a description, a tab, the encoded text. */
  private static Map<String, String> read(String file) throws IOException {
    Map<String, String> lines = new LinkedHashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (String line : Files.readAllLines(GOLDEN.resolve(file), StandardCharsets.UTF_8)) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int tab = line.indexOf('\t');
      assertTrue(tab > 0, () -> file + ": no tab in '" + line + "'");
      if (lines.put(line.substring(0, tab), line.substring(tab + 1)) != null) {
        duplicates.add(line.substring(0, tab));
      }
    }
    assertEquals(List.of(), duplicates, file + " has a description twice");
    return lines;
  }
}
