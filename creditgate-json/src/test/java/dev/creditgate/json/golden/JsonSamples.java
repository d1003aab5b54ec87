package dev.creditgate.json.golden;

import dev.creditgate.AutoTopUpStatus;
import dev.creditgate.BalanceChange;
import dev.creditgate.Advice;
import dev.creditgate.Decision;
import dev.creditgate.Forecast;
import dev.creditgate.HoldSettlement;
import dev.creditgate.LedgerReplay;
import dev.creditgate.MemberUsage;
import dev.creditgate.PeriodSummary;
import dev.creditgate.PlanChange;
import dev.creditgate.RetryStatistics;
import dev.creditgate.SeatDecision;
import dev.creditgate.TopUp;
import dev.creditgate.UsageReport;
import dev.creditgate.WalletStatus;
import dev.creditgate.WaysOut;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.CostBreakdown;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.CustomPackTerms;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.model.Rollover;
import dev.creditgate.model.WalletEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The values the golden JSON files were written from, built here and not read from the files: per
 * file, each line's description and its value, in the file's order.
 */
public final class JsonSamples {
  private JsonSamples() {}

  private static final AccountId MAYA = AccountId.of("maya");
  private static final AccountId TEAM = AccountId.of("team-blue");
  private static final Instant AT = Instant.parse("2026-03-02T08:00:00Z");
  private static final Instant PERIOD_START = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant RENEWAL = Instant.parse("2026-04-01T00:00:00Z");
  private static final Plan FREE = Catalog.defaults().plan("free");
  private static final Plan PRO = Catalog.defaults().plan("pro");
  private static final Plan TEAM_PLAN = Catalog.defaults().plan("team");
  private static final Pack SMALL = Catalog.defaults().pack("small");

  private static Credits c(String text) {
    return Credits.parse(text);
  }

  /**
   * The samples of one golden file.
   *
   * @param file the file's name in {@code creditgate-golden/json/}
   * @return each line's description and value, in order
   */
  public static Map<String, Object> of(String file) {
    switch (file) {
      case "values-v1.txt":
        return values();
      case "catalog-v1.txt":
        return catalog();
      case "decisions-v1.txt":
        return decisions();
      case "decisions-v2.txt":
        return decisionsV2();
      case "answers-v1.txt":
        return answers();
      case "answers-v2.txt":
        return answersV2();
      case "wallets-v1.txt":
        return wallets();
      case "ledger-v1.txt":
        return ledger();
      case "events-v1.txt":
        return events();
      case "advice-v1.txt":
        return advice();
      case "wallets-v2.txt":
        return walletsV2();
      case "promotions-v1.txt":
        return promotions();
      case "warnings-v1.txt":
        return warnings();
      case "wallets-v3.txt":
        return walletsV3();
      case "autotopup-v1.txt":
        return autoTopUp();
      case "reversals-v1.txt":
        return reversals();
      case "rollover-v1.txt":
        return rollover();
      default:
        throw new IllegalArgumentException("no samples for " + file);
    }
  }

  static Map<String, Object> values() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("credits, whole", Credits.of(30));
    v.put("credits, a fraction", c("0.3"));
    v.put("credits, negative", c("-1.5"));
    v.put("credits, a thousandth", Credits.ofThousandths(1));
    v.put("credits, zero", Credits.ZERO);
    v.put("credits, the largest", Credits.ofThousandths(Long.MAX_VALUE));
    v.put("money", Money.usd("25"));
    v.put("money, cents", Money.usd("9.99"));
    v.put("money, no minor unit", Money.of("1500", "JPY"));
    v.put("account id", MAYA);
    v.put("account id, any text", AccountId.of("Zoë \"Z\" \\ 🚀"));
    v.put("idempotency key", IdempotencyKey.of("pay-1"));
    v.put("operation", Operation.GENERATE_IMAGE);
    v.put("event id", new EventId(MAYA, 17));
    v.put("event id, an account with a #", new EventId(AccountId.of("team#blue"), 3));
    v.put("meter", Meter.LOW);
    v.put("denial reason", Decision.Reason.MEMBER_CAP_REACHED);
    v.put("ledger entry kind", LedgerEntry.Kind.CAPTURE);
    v.put("outcome kind", Outcome.Kind.PLATFORM_ERROR);
    v.put("outcome", Outcome.succeeded());
    v.put("outcome, a retry", Outcome.retryOf(IdempotencyKey.of("h-1")));
    v.put("retry statistics", new RetryStatistics(3, 1, 0));
    return v;
  }

  static Map<String, Object> catalog() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("pack", SMALL);
    v.put("plan", TEAM_PLAN);
    v.put("plan, free, one seat", FREE);
    v.put("plan, other limits", new Plan("scale", "Scale", Money.of("199", "EUR"), Credits.of(2000),
        Set.of("sso"), Map.of("seats", 20L, "projects", 100L)));
    v.put("custom pack terms", new CustomPackTerms(Money.usd("5"), Money.usd("1000"), Credits.of(10)));
    v.put("catalog, the defaults", Catalog.defaults());
    v.put("catalog, one plan and no custom packs", Catalog.builder().plan(FREE).build());
    return v;
  }

  /** A denial with all three ways out. */
  static WaysOut allThreeWaysOut() {
    return new WaysOut(new WaysOut.TopUpOption(Optional.of(SMALL), Optional.of(Money.usd("5"))),
        Optional.of(new WaysOut.UpgradeOption(PRO)), new WaysOut.RenewalOption(RENEWAL, "free", Credits.of(30)));
  }

  static Map<String, Object> decisions() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("allowed", new Decision.Allowed(Operation.AI_CHAT_MESSAGE, 1_800, c("0.28"), Credits.of(30), c("29.72"),
        Meter.OK));
    v.put("allowed, into overdraft", new Decision.Allowed(Operation.GENERATE_IMAGE, 3, Credits.of(6), Credits.of(5),
        Credits.of(-1), Meter.EMPTY));
    v.put("allowed, free", new Decision.Allowed(Operation.SERVE_LIVE_APP, 1, Credits.ZERO, Credits.ZERO,
        Credits.ZERO, Meter.EMPTY));
    v.put("denied, all three ways out", new Decision.Denied(Operation.GENERATE_IMAGE, 3, Credits.of(6), c("2.5"),
        Meter.LOW, Decision.Reason.INSUFFICIENT_CREDITS, c("3.5"), allThreeWaysOut()));
    v.put("denied, on the top plan, no pack covers it", new Decision.Denied(Operation.AI_CHAT_MESSAGE, 5_000_000,
        c("500.1"), Credits.ZERO, Meter.EMPTY, Decision.Reason.INSUFFICIENT_CREDITS, c("500.1"),
        new WaysOut(new WaysOut.TopUpOption(Optional.empty(), Optional.of(Money.usd("50.01"))), Optional.empty(),
            new WaysOut.RenewalOption(RENEWAL, "team", Credits.of(300)))));
    v.put("denied, a member's cap", new Decision.Denied(Operation.GENERATE_IMAGE, 1, Credits.of(2), Credits.of(280),
        Meter.OK, Decision.Reason.MEMBER_CAP_REACHED, c("1.5"),
        new WaysOut(new WaysOut.TopUpOption(Optional.empty(), Optional.empty()), Optional.empty(),
            new WaysOut.RenewalOption(RENEWAL, "team", Credits.of(300)))));
    v.put("ways out", allThreeWaysOut());
    v.put("top-up option", allThreeWaysOut().topUp());
    v.put("upgrade option", allThreeWaysOut().upgrade().orElseThrow());
    v.put("renewal option", allThreeWaysOut().renewal());
    v.put("seat added", new SeatDecision.Added(AccountId.of("carol"), 2, 5));
    v.put("seat denied", new SeatDecision.Denied(AccountId.of("carol"), 1, 1, "pro", Optional.of(TEAM_PLAN)));
    v.put("seat denied, on the top plan", new SeatDecision.Denied(AccountId.of("frank"), 5, 5, "team",
        Optional.empty()));
    return v;
  }

  private static final CostTable COSTS = CostTable.defaults();

  /**
   * decisions-v2.txt: 0.2's decisions, now with their cost's breakdown (as the gate answers them),
   * one without (as read from 0.2's JSON), and the breakdown of each kind of cost.
   */
  /** The ways out of {@link #allThreeWaysOut()}, the Small pack recommended. */
  static WaysOut allThreeWaysOutRecommended() {
    WaysOut w = allThreeWaysOut();
    return new WaysOut(w.topUp(), w.upgrade(), w.renewal(), Optional.of(buySmall()));
  }

  /** Buy the Small pack: a new wallet denied before it has a history. */
  static Advice.BuyPack buySmall() {
    return new Advice.BuyPack(MAYA, AT, new Forecast.NotEnoughHistory(MAYA, AT, c("2.5"), RENEWAL,
        Instant.parse("2026-03-02T07:00:00Z"), Instant.parse("2026-03-03T07:00:00Z")), c("3.5"), Optional.of(SMALL),
        Optional.of(Money.usd("5")));
  }

  static Map<String, Object> decisionsV2() {
    Map<String, Object> v = new LinkedHashMap<>(decisions());
    CostBreakdown chat = COSTS.costOf(Operation.AI_CHAT_MESSAGE).explain(1_800);
    CostBreakdown images = COSTS.costOf(Operation.GENERATE_IMAGE).explain(3);
    v.put("allowed", new Decision.Allowed(Operation.AI_CHAT_MESSAGE, 1_800, c("0.28"), Credits.of(30), c("29.72"),
        Meter.OK, chat));
    v.put("allowed, into overdraft", new Decision.Allowed(Operation.GENERATE_IMAGE, 3, Credits.of(6), Credits.of(5),
        Credits.of(-1), Meter.EMPTY, images));
    v.put("allowed, free", new Decision.Allowed(Operation.SERVE_LIVE_APP, 1, Credits.ZERO, Credits.ZERO,
        Credits.ZERO, Meter.EMPTY, COSTS.costOf(Operation.SERVE_LIVE_APP).explain(1)));
    v.put("denied, all three ways out", new Decision.Denied(Operation.GENERATE_IMAGE, 3, Credits.of(6), c("2.5"),
        Meter.LOW, Decision.Reason.INSUFFICIENT_CREDITS, c("3.5"), allThreeWaysOutRecommended(), images));
    Forecast none = new Forecast.NoSpend(TEAM, AT, Credits.ZERO, RENEWAL, Instant.parse("2026-02-17T00:00:00Z"));
    v.put("denied, on the top plan, no pack covers it", new Decision.Denied(Operation.AI_CHAT_MESSAGE, 5_000_000,
        c("500.1"), Credits.ZERO, Meter.EMPTY, Decision.Reason.INSUFFICIENT_CREDITS, c("500.1"),
        new WaysOut(new WaysOut.TopUpOption(Optional.empty(), Optional.of(Money.usd("50.01"))), Optional.empty(),
            new WaysOut.RenewalOption(RENEWAL, "team", Credits.of(300)), Optional.of(new Advice.BuyPack(TEAM, AT, none,
                c("500.1"), Optional.empty(), Optional.of(Money.usd("50.01"))))),
        COSTS.costOf(Operation.AI_CHAT_MESSAGE).explain(5_000_000)));
    v.put("denied, a member's cap", new Decision.Denied(Operation.GENERATE_IMAGE, 1, Credits.of(2), Credits.of(280),
        Meter.OK, Decision.Reason.MEMBER_CAP_REACHED, c("1.5"),
        new WaysOut(new WaysOut.TopUpOption(Optional.empty(), Optional.empty()), Optional.empty(),
            new WaysOut.RenewalOption(RENEWAL, "team", Credits.of(300)), Optional.of(new Advice.WaitForRenewal(TEAM,
                AT, new Forecast.NoSpend(TEAM, AT, Credits.of(280), RENEWAL, Instant.parse("2026-02-17T00:00:00Z")),
                Advice.WaitForRenewal.Why.MEMBER_CAP_REACHED))),
        COSTS.costOf(Operation.GENERATE_IMAGE).explain(1)));
    v.put("ways out", allThreeWaysOutRecommended());
    v.put("allowed, not itemized", decisions().get("allowed"));
    v.put("ways out, none recommended (as read from 0.2's JSON)", allThreeWaysOut());
    v.put("cost breakdown, metered", chat);
    v.put("cost breakdown, metered, rounded up", COSTS.costOf(Operation.AI_CHAT_MESSAGE).explain(1_801));
    v.put("cost breakdown, fixed", images);
    v.put("cost breakdown, free", COSTS.costOf(Operation.PUBLISH_UPDATE).explain(1));
    v.put("cost breakdown, a capture's share, rounded up",
        COSTS.costOf(Operation.AI_CHAT_MESSAGE).explain(1_801).withShare(5_000));
    v.put("cost breakdown, not itemized", CostBreakdown.notItemized(1_800, c("0.28")));
    v.put("cost kind", CostBreakdown.Kind.METERED);
    return v;
  }

  /** answers-v2.txt: 0.2's answers, settlements with their cost's breakdown, and one without. */
  static Map<String, Object> answersV2() {
    Map<String, Object> v = new LinkedHashMap<>(answers());
    v.put("capture", new HoldSettlement("h-1", Operation.AI_CHAT_MESSAGE, Outcome.succeeded(), c("10.1"), c("0.22"),
        c("0.22"), c("0.22"), c("29.78"), Meter.OK, COSTS.costOf(Operation.AI_CHAT_MESSAGE).explain(1_200)));
    v.put("capture of a retry, short", new HoldSettlement("h-2", Operation.GENERATE_IMAGE,
        Outcome.retryOf(IdempotencyKey.of("h-1")), Credits.of(2), Credits.of(4), Credits.of(2), c("1.5"),
        Credits.ZERO, Meter.EMPTY, COSTS.costOf(Operation.GENERATE_IMAGE).explain(2).withShare(5_000)));
    v.put("release", new HoldSettlement("h-3", Operation.CONNECT_INTEGRATION, null, Credits.of(5), Credits.ZERO,
        Credits.ZERO, Credits.ZERO, Credits.of(30), Meter.OK, COSTS.costOf(Operation.PUBLISH_UPDATE).explain(0)));
    v.put("capture, not itemized", answers().get("capture"));
    return v;
  }

  static Map<String, Object> answers() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("top-up", new TopUp("pack:pay-1", "small", Credits.of(100), Credits.of(130), Meter.OK));
    v.put("top-up, custom", new TopUp("pack:pay-2", "custom", Credits.of(75), c("74.5"), Meter.OK));
    v.put("capture", new HoldSettlement("h-1", Operation.AI_CHAT_MESSAGE, Outcome.succeeded(), c("10.1"), c("0.22"),
        c("0.22"), c("0.22"), c("29.78"), Meter.OK));
    v.put("capture of a retry, short", new HoldSettlement("h-2", Operation.GENERATE_IMAGE,
        Outcome.retryOf(IdempotencyKey.of("h-1")), Credits.of(2), Credits.of(4), Credits.of(2), c("1.5"),
        Credits.ZERO, Meter.EMPTY));
    v.put("release", new HoldSettlement("h-3", Operation.CONNECT_INTEGRATION, null, Credits.of(5), Credits.ZERO,
        Credits.ZERO, Credits.ZERO, Credits.of(30), Meter.OK));
    v.put("refund", new BalanceChange("refund:r-1", Credits.of(2), Credits.of(32), Meter.OK));
    v.put("adjustment down", new BalanceChange("", c("-2.5"), c("27.5"), Meter.OK));
    v.put("plan change, upgrade", new PlanChange("free", "pro", true, Instant.parse("2026-03-01T10:00:00Z"),
        Credits.of(150), List.of()));
    v.put("plan change, members to remove", new PlanChange("team", "pro", false, RENEWAL, c("12.345"),
        List.of(AccountId.of("carol"), AccountId.of("dan"))));
    v.put("member usage", new MemberUsage(AccountId.of("carol"), Optional.of(Credits.of(40)), c("12.001"),
        Map.of(Operation.GENERATE_IMAGE, Credits.of(2), Operation.AI_CHAT_MESSAGE, c("10.001"))));
    v.put("member usage, no cap", new MemberUsage(AccountId.of("dan"), Optional.empty(), Credits.ZERO, Map.of()));
    v.put("usage report", new UsageReport(TEAM, "team", PERIOD_START, RENEWAL, List.of(
        new MemberUsage(AccountId.of("carol"), Optional.of(Credits.of(40)), Credits.of(2),
            Map.of(Operation.GENERATE_IMAGE, Credits.of(2))),
        new MemberUsage(AccountId.of("dan"), Optional.empty(), Credits.ZERO, Map.of()))));
    return v;
  }

  static Map<String, Object> wallets() {
    Map<String, Object> v = new LinkedHashMap<>();
    WalletStatus.PackLot first = new WalletStatus.PackLot("pack:pay-1", "small", Credits.of(100), c("37.5"),
        Instant.parse("2026-02-10T12:00:00Z"));
    v.put("pack lot", first);
    v.put("wallet, several pack lots", new WalletStatus(MAYA, "pro", "free", c("497.5"), c("487.5"), Credits.of(10),
        Credits.ZERO, Credits.of(100), c("397.5"), List.of(first,
            new WalletStatus.PackLot("pack:pay-2", "medium", Credits.of(250), Credits.of(250),
                Instant.parse("2026-03-01T09:30:00Z")),
            new WalletStatus.PackLot("refund:r-1", "refund", Credits.of(10), Credits.of(10),
                Instant.parse("2026-03-02T08:00:00.000000001Z"))),
        Credits.of(650), Meter.OK, PERIOD_START, RENEWAL));
    v.put("wallet, in debt", new WalletStatus(MAYA, "free", "free", c("-1.5"), c("-1.5"), Credits.ZERO, c("1.5"),
        Credits.ZERO, Credits.ZERO, List.of(), Credits.of(30), Meter.EMPTY, PERIOD_START, RENEWAL));
    return v;
  }

  /** wallets-v2.txt: the statuses of wallets-v1.txt, now with their promotions (none), and promotions. */
  static Map<String, Object> walletsV2() {
    Map<String, Object> v = new LinkedHashMap<>(wallets());
    WalletStatus.PromotionLot welcome = new WalletStatus.PromotionLot("promo:welcome", "welcome bonus", Credits.of(20),
        c("12.5"), AT, Instant.parse("2026-03-16T08:00:00Z"), List.of(), 50);
    WalletStatus.PromotionLot images = new WalletStatus.PromotionLot("promo:img 1", "referral: \"bob\" ✓",
        Credits.of(10), Credits.of(10), PERIOD_START, Instant.parse("2026-03-31T23:59:59.999999999Z"),
        List.of(Operation.AI_CHAT_MESSAGE, Operation.GENERATE_IMAGE), 0);
    v.put("promotion lot", welcome);
    v.put("promotion lot, scoped and prioritised", images);
    v.put("wallet with promotions", new WalletStatus(MAYA, "free", "free", c("52.5"), c("52.5"), Credits.ZERO,
        Credits.ZERO, Credits.of(30), Credits.ZERO, List.of(), c("60"), Meter.OK, PERIOD_START, RENEWAL,
        List.of(images, welcome)));
    return v;
  }

  private static final AutoTopUp PACK_RULE = AutoTopUp.withPack("small", c("10.5"), Money.usd("30"), 3);
  private static final AutoTopUp TARGET_RULE = AutoTopUp.toBalance(Credits.of(100), Credits.ZERO,
      Money.of("40.00", "EUR"), 5).withDeclineLimit(2).withBackoff(Duration.ofHours(36).plusNanos(1));
  private static final AutoTopUpStatus.OpenRequest OPEN = new AutoTopUpStatus.OpenRequest("autotopup:maya:7", "small",
      Credits.of(100), Money.usd("10"), AT);
  private static final AutoTopUpStatus BUSY = new AutoTopUpStatus(Optional.of(PACK_RULE), Optional.of(OPEN), 2,
      Optional.of(Money.usd("20")), 1, Optional.of(AT.plusSeconds(3_600)),
      Optional.of(new AutoTopUpStatus.Refusal(AT.minusSeconds(60), AutoTopUp.Limit.COUNT, Money.usd("10"))),
      Optional.of(new AutoTopUpStatus.Decline(AT.minusSeconds(7_200), "autotopup:maya:6", "card_declined: \"✓\"")),
      false);

  /** wallets-v3.txt: the statuses of wallets-v2.txt, now with their auto top-up (none), and one with it. */
  static Map<String, Object> walletsV3() {
    Map<String, Object> v = new LinkedHashMap<>(walletsV2());
    v.put("wallet with auto top-up", new WalletStatus(MAYA, "free", "free", c("4"), c("4"), Credits.ZERO, Credits.ZERO,
        c("4"), Credits.ZERO, List.of(), c("30"), Meter.LOW, PERIOD_START, RENEWAL, List.of(), Optional.of(BUSY)));
    return v;
  }

  /** autotopup-v1.txt: auto top-up's rules, status and its parts, and events. */
  static Map<String, Object> autoTopUp() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("rule, a pack", PACK_RULE);
    v.put("rule, a target balance", TARGET_RULE);
    v.put("open request", OPEN);
    v.put("refusal", new AutoTopUpStatus.Refusal(AT, AutoTopUp.Limit.AMOUNT, Money.usd("10")));
    v.put("decline", new AutoTopUpStatus.Decline(AT, "autotopup:maya:1", "insufficient_funds"));
    v.put("limit", AutoTopUp.Limit.COUNT);
    v.put("status, off", new AutoTopUpStatus(Optional.empty(), Optional.empty(), 0, Optional.empty(), 0,
        Optional.empty(), Optional.empty(), Optional.empty(), false));
    v.put("status, an open request after a refusal and a decline", BUSY);
    v.put("status, switched off after declines", new AutoTopUpStatus(Optional.empty(), Optional.empty(), 0,
        Optional.empty(), 2, Optional.of(AT), Optional.empty(), Optional.of(new AutoTopUpStatus.Decline(AT,
            "autotopup:maya:2", "do_not_honor")), true));
    v.put("auto top-up requested", new WalletEvent.AutoTopUpRequested(MAYA, AT, "autotopup:maya:1", "small",
        Credits.of(100), Money.usd("10")));
    v.put("auto top-up requested, a target balance", new WalletEvent.AutoTopUpRequested(MAYA, AT, "autotopup:maya:2",
        "custom", c("90.1"), Money.usd("9.01")));
    v.put("auto top-up refused", new WalletEvent.AutoTopUpRefused(MAYA, AT, AutoTopUp.Limit.AMOUNT, Money.usd("10"), 2,
        Money.usd("25")));
    v.put("auto top-up switched off", new WalletEvent.AutoTopUpDisabled(MAYA, AT, 3, "card_declined"));
    return v;
  }

  /** warnings-v1.txt: the warnings besides the percent thresholds. */
  static Map<String, Object> warnings() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("balance below", new WalletEvent.BalanceBelow(MAYA, AT, Credits.of(5), c("4.999")));
    v.put("balance below zero, in debt", new WalletEvent.BalanceBelow(MAYA, AT, Credits.ZERO, c("-1.5")));
    v.put("credits depleted", new WalletEvent.CreditsDepleted(MAYA, AT, Credits.ZERO));
    v.put("credits depleted, in debt", new WalletEvent.CreditsDepleted(MAYA, AT, c("-1.5")));
    v.put("promotion expiring", new WalletEvent.PromotionExpiring(MAYA, AT, "promo:welcome", c("12.5"),
        Instant.parse("2026-03-16T08:00:00Z")));
    return v;
  }

  /** rollover-v1.txt: plans that roll unused credits over, and the rollover values. */
  static Map<String, Object> rollover() {
    Map<String, Object> v = new LinkedHashMap<>();
    Plan free = new Plan("free", "Free", Money.usd("0"), Credits.of(30), 1, java.util.Set.of());
    v.put("plan, rollover up to 20 credits", free.withRollover(Rollover.upTo(Credits.of(20))));
    v.put("plan, rollover up to 25% of the allowance", free.withRollover(Rollover.upToPercent(25)));
    v.put("rollover in credits", Rollover.upTo(c("12.5")));
    v.put("rollover in percent", Rollover.upToPercent(100));
    v.put("no rollover", Rollover.NONE);
    v.put("rollover granted", new WalletEvent.PromotionGranted(MAYA, AT, "rollover:2026-03-02T08:00:00Z", c("20"),
        Instant.parse("2026-04-02T08:00:00Z"), "rollover", List.of(), 0));
    return v;
  }

  /** reversals-v1.txt: the event and the ledger entries of a payment reversal. */
  static Map<String, Object> reversals() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("pack reversed", new WalletEvent.PackReversed(MAYA, AT, "pack:pi_1", c("62.75"), c("37.25")));
    v.put("pack reversed, spent out", new WalletEvent.PackReversed(MAYA, AT, "pack:pi_2", Credits.ZERO,
        Credits.of(100)));
    v.put("ledger entry kind", LedgerEntry.Kind.REVERSAL);
    v.put("what remained, taken back", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.REVERSAL, "pack:pi_1", c("-62.75"),
        "reversal", "cb-1"));
    v.put("what was spent, owed", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.REVERSAL, LedgerEntry.OVERDRAFT,
        c("-37.25"), "reversal", "cb-1"));
    return v;
  }

  /** promotions-v1.txt: the events and ledger entries of promotional grants. */
  static Map<String, Object> promotions() {
    Map<String, Object> v = new LinkedHashMap<>();
    Instant expiry = Instant.parse("2026-03-16T08:00:00Z");
    v.put("promotion granted", new WalletEvent.PromotionGranted(MAYA, AT, "promo:welcome", Credits.of(20), expiry,
        "welcome bonus", List.of(), 50));
    v.put("promotion granted, scoped", new WalletEvent.PromotionGranted(MAYA, AT, "promo:img 1", c("7.5"), expiry,
        "referral: \"bob\"", List.of(Operation.GENERATE_IMAGE), 0));
    v.put("promotion expired", new WalletEvent.PromotionExpired(MAYA, expiry, "promo:welcome", c("12.5")));
    v.put("grant", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.GRANT, "promo:welcome", Credits.of(20), "welcome bonus",
        "welcome"));
    v.put("debit", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.DEBIT, "promo:welcome", c("-7.5"), "generate-image",
        "img-1"));
    v.put("expiry", new LedgerEntry(MAYA, expiry, LedgerEntry.Kind.EXPIRY, "promo:welcome", c("-12.5"), "", ""));
    v.put("revocation", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.REFUND, "promo:img 1", c("-2"), "", "revoke-1"));
    return v;
  }

  static Map<String, Object> ledger() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("grant", new LedgerEntry(MAYA, PERIOD_START, LedgerEntry.Kind.GRANT, LedgerEntry.SUBSCRIPTION,
        Credits.of(30), "", ""));
    v.put("debit", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.DEBIT, LedgerEntry.SUBSCRIPTION, c("-0.28"),
        "ai-chat-message", "msg-1"));
    v.put("hold", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.HOLD, "h-1", c("10.1"), "ai-chat-message", "h-1"));
    v.put("capture", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.CAPTURE, LedgerEntry.SUBSCRIPTION, c("-0.22"),
        "ai-chat-message", "cap-1"));
    v.put("release", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.RELEASE, "h-1", c("-10.1"), "ai-chat-message",
        "cap-1"));
    v.put("expiry", new LedgerEntry(MAYA, RENEWAL, LedgerEntry.Kind.EXPIRY, LedgerEntry.SUBSCRIPTION, c("-29.5"),
        "", ""));
    v.put("refund", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.REFUND, "refund:r-1", Credits.of(2), "", "r-1"));
    v.put("adjustment", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.ADJUSTMENT, "adjustment:adj-1", Credits.of(5),
        "support: \"sorry\" \\ ticket\t12", "adj-1"));
    v.put("adjustment, a debt repaid", new LedgerEntry(MAYA, AT, LedgerEntry.Kind.ADJUSTMENT, LedgerEntry.OVERDRAFT,
        c("1.5"), "repay-overdraft", "pay-3"));
    v.put("replay, consistent", new LedgerReplay(MAYA, 12, c("29.5"), c("29.5"), Credits.ZERO, Credits.ZERO,
        Map.of()));
    v.put("replay, differences", new LedgerReplay(MAYA, 7, c("31"), c("29.5"), c("10.1"), Credits.ZERO,
        Map.of("subscription", c("1.5"), "h-1", c("10.1"))));
    return v;
  }

  /** advice-v1.txt: the runway forecasts (and the advice, which builds on them). */
  static Map<String, Object> advice() {
    Map<String, Object> v = new LinkedHashMap<>();
    Instant march4 = Instant.parse("2026-03-04T00:00:00Z");
    Instant renewal = Instant.parse("2026-03-19T00:00:00Z");
    v.put("forecast, runs out before the renewal", new Forecast.Projected(MAYA, march4, Credits.of(100), renewal,
        Instant.parse("2026-02-27T00:00:00Z"), Credits.of(50), Credits.of(10), Instant.parse("2026-03-14T00:00:00Z"),
        true, Credits.of(50)));
    v.put("forecast, lasts until the renewal", new Forecast.Projected(MAYA, march4, Credits.parse("29.7"), renewal,
        Instant.parse("2026-02-20T00:00:00Z"), c("0.3"), c("0.022"),
        Instant.parse("2029-07-11T12:00:00.000000001Z"), false, Credits.ZERO));
    v.put("forecast, nothing spent", new Forecast.NoSpend(MAYA, march4, Credits.of(30), renewal,
        Instant.parse("2026-02-19T00:00:00Z")));
    v.put("forecast, not enough history", new Forecast.NotEnoughHistory(MAYA, march4, c("29.7"), renewal,
        Instant.parse("2026-03-03T09:30:00Z"), Instant.parse("2026-03-04T09:30:00Z")));
    Instant jan1 = Instant.parse("2026-01-01T00:00:00Z");
    Instant feb1 = Instant.parse("2026-02-01T00:00:00Z");
    Instant mar1 = Instant.parse("2026-03-01T00:00:00Z");
    Instant mar5 = Instant.parse("2026-03-05T00:00:00Z");
    PeriodSummary february = new PeriodSummary(feb1, mar1, Credits.of(70), Credits.of(350),
        Optional.of(Money.usd("35")), Optional.of(Instant.parse("2026-02-04T00:00:00Z")));
    PeriodSummary march = new PeriodSummary(mar1, mar5, Credits.ZERO, Credits.ZERO, Optional.empty(), Optional.empty());
    PeriodSummary january = new PeriodSummary(jan1, feb1, Credits.of(30), Credits.ZERO, Optional.empty(),
        Optional.of(Instant.parse("2026-01-11T00:00:00Z")));
    v.put("period summary, ran out and bought packs", february);
    v.put("period summary, quiet", march);
    Forecast quiet = new Forecast.NoSpend(MAYA, mar5, Credits.of(340), Instant.parse("2026-04-01T00:00:00Z"),
        Instant.parse("2026-02-20T00:00:00Z"));
    v.put("advice, upgrade: ran out in two of the last three months", new Advice.Upgrade(MAYA, mar5, quiet, "free",
        PRO, Advice.Upgrade.Why.RAN_OUT_OR_BOUGHT_PACKS, List.of(march, february, january), Money.usd("20"),
        Credits.of(120)));
    v.put("advice, upgrade: the packs cost more than the plan", new Advice.Upgrade(MAYA, mar5, quiet, "free", PRO,
        Advice.Upgrade.Why.PACKS_COST_MORE_THAN_THE_PLAN, List.of(march, february), Money.usd("20"), Credits.of(120)));
    v.put("advice, buy the Small pack", new Advice.BuyPack(MAYA, march4, new Forecast.Projected(MAYA, march4,
        Credits.of(120), renewal, mar1, Credits.of(30), Credits.of(10), Instant.parse("2026-03-16T00:00:00Z"), true,
        Credits.of(30)), Credits.of(30), Optional.of(SMALL), Optional.of(Money.usd("5"))));
    v.put("advice, wait for the renewal", new Advice.WaitForRenewal(MAYA, march4,
        (Forecast) v.get("forecast, lasts until the renewal"), Advice.WaitForRenewal.Why.FORECAST_REACHES_RENEWAL));
    v.put("why wait", Advice.WaitForRenewal.Why.NOT_ENOUGH_HISTORY);
    v.put("why upgrade", Advice.Upgrade.Why.PACKS_COST_MORE_THAN_THE_PLAN);
    v.put("way out", WaysOut.Way.TOP_UP);
    return v;
  }

  static Map<String, Object> events() {
    Map<String, Object> v = new LinkedHashMap<>();
    Instant nanos = Instant.parse("2026-03-02T08:00:00.000000001Z");
    v.put("threshold crossed", new WalletEvent.ThresholdCrossed(MAYA, nanos, 20, c("5.995"), Credits.of(30)));
    v.put("threshold crossed at zero, in debt", new WalletEvent.ThresholdCrossed(MAYA, AT, 0, c("-1.5"),
        Credits.of(150)));
    v.put("credits granted", new WalletEvent.CreditsGranted(MAYA, AT, "pack:pi_1", Credits.of(100)));
    v.put("subscription renewed", new WalletEvent.SubscriptionRenewed(MAYA, RENEWAL, "pro", Credits.of(150),
        Instant.parse("2026-05-01T00:00:00Z")));
    v.put("subscription credits expired", new WalletEvent.SubscriptionCreditsExpired(MAYA, RENEWAL, c("12.5")));
    v.put("plan changed", new WalletEvent.PlanChanged(MAYA, AT, "pro", "free", RENEWAL));
    v.put("member added", new WalletEvent.MemberAdded(TEAM, AT, AccountId.of("carol")));
    v.put("member removed", new WalletEvent.MemberRemoved(TEAM, RENEWAL, AccountId.of("dan")));
    return v;
  }
}
