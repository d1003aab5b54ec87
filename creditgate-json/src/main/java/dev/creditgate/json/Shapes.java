package dev.creditgate.json;

import dev.creditgate.AutoTopUpStatus;
import dev.creditgate.BalanceChange;
import dev.creditgate.Advice;
import dev.creditgate.Decision;
import dev.creditgate.Forecast;
import dev.creditgate.HoldSettlement;
import dev.creditgate.InvalidRequestException;
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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Every JSON shape, as docs/json.md documents them and the golden files under
 * {@code creditgate-golden/json/} pin them. The conventions: fields in the order of the type's
 * components (for a closed set: the discriminator, the set's common accessors, then the kind's own);
 * credits and money amounts as exact decimal strings; ids as plain strings; times as ISO-8601
 * instants; constants by their Java names; an empty optional as {@code null}; a map by its keys in
 * string order. {@link JsonShape#all()} is {@link #ALL}.
 */
final class Shapes {
  private Shapes() {}

  static final JsonShape<Credits> CREDITS = JsonShape.shape(Credits.class, Credits::toString, Node::credits);

  static final JsonShape<Money> MONEY = JsonShape.shape(Money.class,
      m -> object("amount", m.amount().toPlainString(), "currency", m.currency().getCurrencyCode()),
      n -> Money.of(n.field("amount").amount(), n.field("currency").string()));

  static final JsonShape<AccountId> ACCOUNT =
      JsonShape.shape(AccountId.class, AccountId::value, n -> AccountId.of(n.string()));

  static final JsonShape<IdempotencyKey> KEY =
      JsonShape.shape(IdempotencyKey.class, IdempotencyKey::value, n -> IdempotencyKey.of(n.string()));

  static final JsonShape<Operation> OPERATION =
      JsonShape.shape(Operation.class, Operation::id, n -> Operation.of(n.string()));

  /** {@code "maya#17"}: the account, {@code #}, the sequence; split at the last {@code #}. */
  static final JsonShape<EventId> EVENT_ID = JsonShape.shape(EventId.class, EventId::toString, n -> {
    String text = n.string();
    int hash = text.lastIndexOf('#');
    String sequence = hash < 0 ? "" : text.substring(hash + 1);
    if (hash < 1 || !sequence.matches("[0-9]{1,18}")) {
      throw n.refused("event id \"" + text + "\" is not an account, '#' and a sequence such as \"maya#17\"", text);
    }
    return new EventId(AccountId.of(text.substring(0, hash)), Long.parseLong(sequence));
  });

  static final JsonShape<Meter> METER = constant(Meter.class);
  static final JsonShape<Decision.Reason> REASON = constant(Decision.Reason.class);
  static final JsonShape<LedgerEntry.Kind> LEDGER_KIND = constant(LedgerEntry.Kind.class);
  static final JsonShape<Outcome.Kind> OUTCOME_KIND = constant(Outcome.Kind.class);

  static final JsonShape<CostBreakdown.Kind> COST_KIND = constant(CostBreakdown.Kind.class);

  /** Every component, derived ones too (a UI renders them); read back checked to add up. */
  static final JsonShape<CostBreakdown> COST_BREAKDOWN = JsonShape.shape(CostBreakdown.class,
      b -> object("kind", b.kind().name(), "units", b.units(), "base", b.base().toString(), "rate", b.rate().toString(),
          "blockSize", b.blockSize(), "ratePart", b.ratePart().toString(), "roundedUp", b.roundedUp(),
          "metered", b.metered().toString(), "share", b.share(), "shareRoundedUp", b.shareRoundedUp(),
          "total", b.total().toString()),
      n -> new CostBreakdown(n.field("kind").as(COST_KIND), n.field("units").integer(), n.field("base").credits(),
          n.field("rate").credits(), n.field("blockSize").integer(), n.field("ratePart").credits(),
          n.field("roundedUp").bool(), n.field("metered").credits(), n.field("share").smallInteger(),
          n.field("shareRoundedUp").bool(), n.field("total").credits()));

  static final JsonShape<Outcome> OUTCOME = JsonShape.shape(Outcome.class,
      o -> object("kind", o.kind().name(), "retryOf", o.retryOf()),
      n -> new Outcome(n.field("kind").as(OUTCOME_KIND), n.field("retryOf").string()));

  static final JsonShape<Pack> PACK = JsonShape.shape(Pack.class,
      p -> object("id", p.id(), "name", p.name(), "price", MONEY.tree(p.price()), "credits", p.credits().toString()),
      n -> new Pack(n.field("id").string(), n.field("name").string(), n.field("price").as(MONEY),
          n.field("credits").credits()));

  /** {@code {"maxCredits":"50"}} or {@code {"maxPercent":25}}; {@code {}} for none. */
  static final JsonShape<Rollover> ROLLOVER = JsonShape.shape(Rollover.class,
      r -> r.maxPercent() > 0 ? object("maxPercent", r.maxPercent())
          : r.isEnabled() ? object("maxCredits", r.maxCredits().toString()) : object(),
      n -> {
        Optional<Integer> percent = n.field("maxPercent").optional(JsonShape.shape(Integer.class, x -> x,
            Node::smallInteger));
        Optional<Credits> credits = n.field("maxCredits").optional(CREDITS);
        if (percent.isPresent() && credits.isPresent()) {
          return new Rollover(credits.get(), percent.get()); // refused: both set
        }
        return percent.map(Rollover::upToPercent).or(() -> credits.map(Rollover::upTo)).orElse(Rollover.NONE);
      });

  /** A plan; {@code "rollover"} only when it has one ({@code {"maxCredits":"50"}} or {@code {"maxPercent":25}}). */
  static final JsonShape<Plan> PLAN = JsonShape.shape(Plan.class,
      p -> {
        Map<String, @Nullable Object> json = object("id", p.id(), "name", p.name(),
            "monthlyPrice", MONEY.tree(p.monthlyPrice()), "monthlyCredits", p.monthlyCredits().toString(),
            "features", new ArrayList<Object>(p.features()), "limits", new LinkedHashMap<String, Object>(p.limits()));
        Rollover r = p.rollover();
        if (r.isEnabled()) {
          json.put("rollover", ROLLOVER.tree(r));
        }
        return json;
      },
      n -> {
        Set<String> features = new LinkedHashSet<>();
        for (Node feature : n.field("features").elements()) {
          features.add(feature.string());
        }
        Map<String, Long> limits = new LinkedHashMap<>();
        n.field("limits").properties().forEach((name, limit) -> limits.put(name, limit.integer()));
        Plan plan = new Plan(n.field("id").string(), n.field("name").string(), n.field("monthlyPrice").as(MONEY),
            n.field("monthlyCredits").credits(), features, limits);
        return n.field("rollover").optional(ROLLOVER).map(plan::withRollover).orElse(plan);
      });

  static final JsonShape<CustomPackTerms> CUSTOM_PACK_TERMS = JsonShape.shape(CustomPackTerms.class,
      t -> object("minPrice", MONEY.tree(t.minPrice()), "maxPrice", MONEY.tree(t.maxPrice()),
          "creditsPerMajorUnit", t.creditsPerMajorUnit().toString()),
      n -> new CustomPackTerms(n.field("minPrice").as(MONEY), n.field("maxPrice").as(MONEY),
          n.field("creditsPerMajorUnit").credits()));

  static final JsonShape<Catalog> CATALOG = JsonShape.shape(Catalog.class,
      c -> object("plans", list(c.plans(), PLAN), "packs", list(c.packs(), PACK),
          "customPacks", optional(c.customPacks(), CUSTOM_PACK_TERMS)),
      n -> {
        Catalog.Builder catalog = Catalog.builder();
        n.field("plans").list(PLAN).forEach(catalog::plan);
        n.field("packs").list(PACK).forEach(catalog::pack);
        n.field("customPacks").optional(CUSTOM_PACK_TERMS).ifPresent(catalog::customPacks);
        return catalog.build();
      });

  static final JsonShape<WaysOut.TopUpOption> TOP_UP_OPTION = JsonShape.shape(WaysOut.TopUpOption.class,
      t -> object("smallestPack", optional(t.smallestPack(), PACK), "customPrice", optional(t.customPrice(), MONEY)),
      n -> new WaysOut.TopUpOption(n.field("smallestPack").optional(PACK), n.field("customPrice").optional(MONEY)));

  static final JsonShape<WaysOut.UpgradeOption> UPGRADE_OPTION = JsonShape.shape(WaysOut.UpgradeOption.class,
      u -> object("plan", PLAN.tree(u.plan())),
      n -> new WaysOut.UpgradeOption(n.field("plan").as(PLAN)));

  static final JsonShape<WaysOut.RenewalOption> RENEWAL_OPTION = JsonShape.shape(WaysOut.RenewalOption.class,
      r -> object("renewsAt", r.renewsAt().toString(), "plan", r.plan(), "credits", r.credits().toString()),
      n -> new WaysOut.RenewalOption(n.field("renewsAt").instant(), n.field("plan").string(),
          n.field("credits").credits()));

  private static final List<String> FORECASTS = List.of("projected", "no-spend", "not-enough-history");

  /** {@code "forecast": "projected" | "no-spend" | "not-enough-history"}, the common fields, the kind's own. */
  static final JsonShape<Forecast> FORECAST = JsonShape.shape(Forecast.class, f -> {
    String kind = f instanceof Forecast.Projected ? FORECASTS.get(0) : f instanceof Forecast.NoSpend ? FORECASTS.get(1)
        : FORECASTS.get(2);
    Map<String, @Nullable Object> json = object("forecast", kind, "account", f.account().value(), "at", f.at().toString(),
        "available", f.available().toString(), "nextRenewal", f.nextRenewal().toString());
    if (f instanceof Forecast.Projected p) {
      json.put("windowStart", p.windowStart().toString());
      json.put("spent", p.spent().toString());
      json.put("perDay", p.perDay().toString());
      json.put("runsOutAt", p.runsOutAt().toString());
      json.put("runsOutBeforeRenewal", p.runsOutBeforeRenewal());
      json.put("neededToReachRenewal", p.neededToReachRenewal().toString());
    } else if (f instanceof Forecast.NoSpend n) {
      json.put("windowStart", n.windowStart().toString());
    } else {
      Forecast.NotEnoughHistory n = (Forecast.NotEnoughHistory) f;
      json.put("since", n.since().toString());
      json.put("enoughAt", n.enoughAt().toString());
    }
    return json;
  }, n -> {
    String kind = n.kind("forecast", "forecast", FORECASTS);
    AccountId account = n.field("account").as(ACCOUNT);
    Instant at = n.field("at").instant();
    Credits available = n.field("available").credits();
    Instant renewal = n.field("nextRenewal").instant();
    switch (FORECASTS.indexOf(kind)) {
      case 0:
        return new Forecast.Projected(account, at, available, renewal, n.field("windowStart").instant(),
            n.field("spent").credits(), n.field("perDay").credits(), n.field("runsOutAt").instant(),
            n.field("runsOutBeforeRenewal").bool(), n.field("neededToReachRenewal").credits());
      case 1:
        return new Forecast.NoSpend(account, at, available, renewal, n.field("windowStart").instant());
      default:
        return new Forecast.NotEnoughHistory(account, at, available, renewal, n.field("since").instant(),
            n.field("enoughAt").instant());
    }
  });

  /** An instant inside another shape (not a shape of its own: {@link JsonShape#all()} lists none). */
  private static final JsonShape<Instant> INSTANT = JsonShape.shape(Instant.class, Instant::toString, Node::instant);

  static final JsonShape<PeriodSummary> PERIOD_SUMMARY = JsonShape.shape(PeriodSummary.class,
      p -> object("start", p.start().toString(), "end", p.end().toString(), "spent", p.spent().toString(),
          "packCredits", p.packCredits().toString(), "packsPaid", optional(p.packsPaid(), MONEY),
          "ranOutAt", optional(p.ranOutAt(), INSTANT)),
      n -> new PeriodSummary(n.field("start").instant(), n.field("end").instant(), n.field("spent").credits(),
          n.field("packCredits").credits(), n.field("packsPaid").optional(MONEY), n.field("ranOutAt").optional(INSTANT)));

  static final JsonShape<Advice.WaitForRenewal.Why> WAIT_WHY = constant(Advice.WaitForRenewal.Why.class);
  static final JsonShape<Advice.Upgrade.Why> UPGRADE_WHY = constant(Advice.Upgrade.Why.class);
  static final JsonShape<WaysOut.Way> WAY = constant(WaysOut.Way.class);
  private static final List<String> ADVICE_KINDS = List.of("wait", "buy-pack", "upgrade");

  /**
   * {@code "advice": "wait" | "buy-pack" | "upgrade"}, then {@code account}, {@code at},
   * {@code forecast}, then the kind's own fields; {@code way()} is derived, not written.
   */
  static final JsonShape<Advice> ADVICE = JsonShape.shape(Advice.class, a -> {
    String kind = a instanceof Advice.WaitForRenewal ? ADVICE_KINDS.get(0)
        : a instanceof Advice.BuyPack ? ADVICE_KINDS.get(1) : ADVICE_KINDS.get(2);
    Map<String, @Nullable Object> json = object("advice", kind, "account", a.account().value(), "at", a.at().toString(),
        "forecast", FORECAST.tree(a.forecast()));
    if (a instanceof Advice.WaitForRenewal w) {
      json.put("why", w.why().name());
    } else if (a instanceof Advice.BuyPack b) {
      json.put("gap", b.gap().toString());
      json.put("pack", optional(b.pack(), PACK));
      json.put("customPrice", optional(b.customPrice(), MONEY));
    } else {
      Advice.Upgrade u = (Advice.Upgrade) a;
      json.put("from", u.from());
      json.put("plan", PLAN.tree(u.plan()));
      json.put("why", u.why().name());
      json.put("periods", list(u.periods(), PERIOD_SUMMARY));
      json.put("priceDifference", MONEY.tree(u.priceDifference()));
      json.put("moreCredits", u.moreCredits().toString());
    }
    return json;
  }, n -> {
    String kind = n.kind("advice", "advice", ADVICE_KINDS);
    AccountId account = n.field("account").as(ACCOUNT);
    Instant at = n.field("at").instant();
    Forecast forecast = n.field("forecast").as(FORECAST);
    switch (ADVICE_KINDS.indexOf(kind)) {
      case 0:
        return new Advice.WaitForRenewal(account, at, forecast, n.field("why").as(WAIT_WHY));
      case 1:
        return new Advice.BuyPack(account, at, forecast, n.field("gap").credits(), n.field("pack").optional(PACK),
            n.field("customPrice").optional(MONEY));
      default:
        return new Advice.Upgrade(account, at, forecast, n.field("from").string(), n.field("plan").as(PLAN),
            n.field("why").as(UPGRADE_WHY), n.field("periods").list(PERIOD_SUMMARY),
            n.field("priceDifference").as(MONEY), n.field("moreCredits").credits());
    }
  });

  /** {@code recommended} is {@code null} only as 0.2 read it (it had no such field: absent reads as null). */
  static final JsonShape<WaysOut> WAYS_OUT = JsonShape.shape(WaysOut.class,
      w -> object("topUp", TOP_UP_OPTION.tree(w.topUp()), "upgrade", optional(w.upgrade(), UPGRADE_OPTION),
          "renewal", RENEWAL_OPTION.tree(w.renewal()), "recommended", optional(w.recommended(), ADVICE)),
      n -> new WaysOut(n.field("topUp").as(TOP_UP_OPTION), n.field("upgrade").optional(UPGRADE_OPTION),
          n.field("renewal").as(RENEWAL_OPTION), n.field("recommended").optional(ADVICE)));

  /**
   * {@code "decision": "allowed" | "denied"}; a denial's {@code balanceAfter} is its
   * {@code balanceBefore}. A decision without {@code costBreakdown} (written by 0.2) reads as one
   * whose cost is not itemized.
   */
  static final JsonShape<Decision> DECISION = JsonShape.shape(Decision.class, d -> {
    Map<String, @Nullable Object> json = object("decision", d.isAllowed() ? "allowed" : "denied",
        "operation", d.operation().id(), "quantity", d.quantity(), "cost", d.cost().toString(),
        "balanceBefore", d.balanceBefore().toString(), "balanceAfter", d.balanceAfter().toString(),
        "meter", d.meter().name(), "costBreakdown", COST_BREAKDOWN.tree(d.costBreakdown()));
    if (d instanceof Decision.Denied denied) {
      json.put("reason", denied.reason().name());
      json.put("shortfall", denied.shortfall().toString());
      json.put("waysOut", WAYS_OUT.tree(denied.waysOut()));
    }
    return json;
  }, n -> {
    String kind = n.kind("decision", "decision", List.of("allowed", "denied"));
    Operation operation = n.field("operation").as(OPERATION);
    long quantity = n.field("quantity").integer();
    Credits cost = n.field("cost").credits();
    Credits before = n.field("balanceBefore").credits();
    Credits after = n.field("balanceAfter").credits();
    Meter meter = n.field("meter").as(METER);
    Optional<CostBreakdown> breakdown = n.field("costBreakdown").optional(COST_BREAKDOWN);
    if (kind.equals("allowed")) {
      return breakdown.isPresent() ? new Decision.Allowed(operation, quantity, cost, before, after, meter,
          breakdown.get()) : new Decision.Allowed(operation, quantity, cost, before, after, meter);
    }
    if (!after.equals(before)) {
      throw n.field("balanceAfter").refused("a denial leaves the balance as it was (" + before + ") but was "
          + after, after.toString());
    }
    return new Decision.Denied(operation, quantity, cost, before, meter, n.field("reason").as(REASON),
        n.field("shortfall").credits(), n.field("waysOut").as(WAYS_OUT),
        breakdown.orElseGet(() -> CostBreakdown.notItemized(Math.max(0, quantity), cost)));
  });

  /** {@code "decision": "added" | "denied"}. */
  static final JsonShape<SeatDecision> SEAT_DECISION = JsonShape.shape(SeatDecision.class, s -> {
    Map<String, @Nullable Object> json = object("decision", s instanceof SeatDecision.Added ? "added" : "denied",
        "member", s.member().value(), "seatsUsed", s.seatsUsed(), "seats", s.seats());
    if (s instanceof SeatDecision.Denied denied) {
      json.put("plan", denied.plan());
      json.put("planWithMoreSeats", optional(denied.planWithMoreSeats(), PLAN));
    }
    return json;
  }, n -> {
    String kind = n.kind("decision", "seat decision", List.of("added", "denied"));
    AccountId member = n.field("member").as(ACCOUNT);
    int seatsUsed = n.field("seatsUsed").smallInteger();
    int seats = n.field("seats").smallInteger();
    return kind.equals("added") ? new SeatDecision.Added(member, seatsUsed, seats)
        : new SeatDecision.Denied(member, seatsUsed, seats, n.field("plan").string(),
            n.field("planWithMoreSeats").optional(PLAN));
  });

  static final JsonShape<TopUp> TOP_UP = JsonShape.shape(TopUp.class,
      t -> object("grant", t.grant(), "pack", t.pack(), "credits", t.credits().toString(),
          "balanceAfter", t.balanceAfter().toString(), "meter", t.meter().name()),
      n -> new TopUp(n.field("grant").string(), n.field("pack").string(), n.field("credits").credits(),
          n.field("balanceAfter").credits(), n.field("meter").as(METER)));

  static final JsonShape<HoldSettlement> HOLD_SETTLEMENT = JsonShape.shape(HoldSettlement.class,
      h -> object("hold", h.hold(), "operation", h.operation().id(),
          "outcome", h.outcome() == null ? null : OUTCOME.tree(h.outcome()), "held", h.held().toString(),
          "metered", h.metered().toString(), "due", h.due().toString(), "charged", h.charged().toString(),
          "balanceAfter", h.balanceAfter().toString(), "meter", h.meter().name(),
          "costBreakdown", COST_BREAKDOWN.tree(h.costBreakdown())),
      n -> {
        Credits due = n.field("due").credits();
        return new HoldSettlement(n.field("hold").string(), n.field("operation").as(OPERATION),
            n.field("outcome").optional(OUTCOME).orElse(null), n.field("held").credits(),
            n.field("metered").credits(), due, n.field("charged").credits(),
            n.field("balanceAfter").credits(), n.field("meter").as(METER),
            n.field("costBreakdown").optional(COST_BREAKDOWN).orElseGet(() -> CostBreakdown.notItemized(0, due)));
      });

  static final JsonShape<BalanceChange> BALANCE_CHANGE = JsonShape.shape(BalanceChange.class,
      b -> object("grant", b.grant(), "amount", b.amount().toString(), "balanceAfter", b.balanceAfter().toString(),
          "meter", b.meter().name()),
      n -> new BalanceChange(n.field("grant").string(), n.field("amount").credits(),
          n.field("balanceAfter").credits(), n.field("meter").as(METER)));

  static final JsonShape<PlanChange> PLAN_CHANGE = JsonShape.shape(PlanChange.class,
      p -> object("from", p.from(), "to", p.to(), "immediate", p.immediate(), "effectiveAt", p.effectiveAt().toString(),
          "balanceAfter", p.balanceAfter().toString(), "membersToRemove", list(p.membersToRemove(), ACCOUNT)),
      n -> new PlanChange(n.field("from").string(), n.field("to").string(), n.field("immediate").bool(),
          n.field("effectiveAt").instant(), n.field("balanceAfter").credits(),
          n.field("membersToRemove").list(ACCOUNT)));

  /** {@code byOperation} by operation id, in string order. */
  static final JsonShape<MemberUsage> MEMBER_USAGE = JsonShape.shape(MemberUsage.class, u -> {
    Map<String, Object> byOperation = new TreeMap<>();
    u.byOperation().forEach((operation, spent) -> byOperation.put(operation.id(), spent.toString()));
    return object("member", u.member().value(), "cap", optional(u.cap(), CREDITS), "spent", u.spent().toString(),
        "byOperation", new LinkedHashMap<>(byOperation));
  }, n -> {
    Map<Operation, Credits> byOperation = new LinkedHashMap<>();
    n.field("byOperation").properties().forEach((id, spent) -> {
      Operation operation;
      try {
        operation = Operation.of(id);
      } catch (InvalidRequestException e) {
        throw spent.refused(e.getMessage(), id);
      }
      byOperation.put(operation, spent.credits());
    });
    return new MemberUsage(n.field("member").as(ACCOUNT), n.field("cap").optional(CREDITS),
        n.field("spent").credits(), byOperation);
  });

  static final JsonShape<UsageReport> USAGE_REPORT = JsonShape.shape(UsageReport.class,
      u -> object("account", u.account().value(), "plan", u.plan(), "periodStart", u.periodStart().toString(),
          "periodEnd", u.periodEnd().toString(), "members", list(u.members(), MEMBER_USAGE)),
      n -> new UsageReport(n.field("account").as(ACCOUNT), n.field("plan").string(),
          n.field("periodStart").instant(), n.field("periodEnd").instant(), n.field("members").list(MEMBER_USAGE)));

  static final JsonShape<WalletStatus.PackLot> PACK_LOT = JsonShape.shape(WalletStatus.PackLot.class,
      p -> object("grant", p.grant(), "pack", p.pack(), "granted", p.granted().toString(),
          "remaining", p.remaining().toString(), "purchasedAt", p.purchasedAt().toString()),
      n -> new WalletStatus.PackLot(n.field("grant").string(), n.field("pack").string(), n.field("granted").credits(),
          n.field("remaining").credits(), n.field("purchasedAt").instant()));

  /** {@code scope}: operation ids, sorted; empty for every operation. */
  static final JsonShape<WalletStatus.PromotionLot> PROMOTION_LOT = JsonShape.shape(WalletStatus.PromotionLot.class,
      p -> object("grant", p.grant(), "reason", p.reason(), "granted", p.granted().toString(),
          "remaining", p.remaining().toString(), "grantedAt", p.grantedAt().toString(),
          "expiresAt", p.expiresAt().toString(), "scope", list(p.scope(), OPERATION), "priority", p.priority()),
      n -> new WalletStatus.PromotionLot(n.field("grant").string(), n.field("reason").string(),
          n.field("granted").credits(), n.field("remaining").credits(), n.field("grantedAt").instant(),
          n.field("expiresAt").instant(), n.field("scope").list(OPERATION), n.field("priority").smallInteger()));

  static final JsonShape<AutoTopUp.Limit> AUTO_TOP_UP_LIMIT = constant(AutoTopUp.Limit.class);

  private static final JsonShape<String> STRING = JsonShape.shape(String.class, text -> text, Node::string);

  private static final JsonShape<Duration> DURATION = JsonShape.shape(Duration.class, Duration::toString, n -> {
    String text = n.string();
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw n.refused("\"" + text + "\" is not an ISO-8601 duration such as \"PT48H\"", text);
    }
  });

  /** {@code pack} or {@code targetBalance}, the other {@code null}; {@code backoff} an ISO-8601 duration. */
  static final JsonShape<AutoTopUp> AUTO_TOP_UP = JsonShape.shape(AutoTopUp.class,
      r -> object("threshold", r.threshold().toString(), "pack", r.pack().orElse(null),
          "targetBalance", r.targetBalance().map(Credits::toString).orElse(null),
          "monthlyLimit", MONEY.tree(r.monthlyLimit()), "monthlyCount", r.monthlyCount(),
          "declineLimit", r.declineLimit(), "backoff", r.backoff().toString()),
      n -> new AutoTopUp(n.field("threshold").credits(), n.field("pack").optional(STRING),
          n.field("targetBalance").optional(CREDITS), n.field("monthlyLimit").as(MONEY),
          n.field("monthlyCount").smallInteger(), n.field("declineLimit").smallInteger(),
          n.field("backoff").as(DURATION)));

  static final JsonShape<AutoTopUpStatus.OpenRequest> AUTO_TOP_UP_REQUEST = JsonShape.shape(
      AutoTopUpStatus.OpenRequest.class,
      o -> object("id", o.id(), "pack", o.pack(), "credits", o.credits().toString(), "price", MONEY.tree(o.price()),
          "requestedAt", o.requestedAt().toString()),
      n -> new AutoTopUpStatus.OpenRequest(n.field("id").string(), n.field("pack").string(),
          n.field("credits").credits(), n.field("price").as(MONEY), n.field("requestedAt").instant()));

  static final JsonShape<AutoTopUpStatus.Refusal> AUTO_TOP_UP_REFUSAL = JsonShape.shape(AutoTopUpStatus.Refusal.class,
      r -> object("at", r.at().toString(), "limit", r.limit().name(), "price", MONEY.tree(r.price())),
      n -> new AutoTopUpStatus.Refusal(n.field("at").instant(), n.field("limit").as(AUTO_TOP_UP_LIMIT),
          n.field("price").as(MONEY)));

  static final JsonShape<AutoTopUpStatus.Decline> AUTO_TOP_UP_DECLINE = JsonShape.shape(AutoTopUpStatus.Decline.class,
      d -> object("at", d.at().toString(), "request", d.request(), "reason", d.reason()),
      n -> new AutoTopUpStatus.Decline(n.field("at").instant(), n.field("request").string(),
          n.field("reason").string()));

  /** Every optional part {@code null} when absent. */
  static final JsonShape<AutoTopUpStatus> AUTO_TOP_UP_STATUS = JsonShape.shape(AutoTopUpStatus.class,
      s -> object("rule", optional(s.rule(), AUTO_TOP_UP), "open", optional(s.open(), AUTO_TOP_UP_REQUEST),
          "requestsThisPeriod", s.requestsThisPeriod(),
          "requestedThisPeriod", optional(s.requestedThisPeriod(), MONEY), "declinesInARow", s.declinesInARow(),
          "retryNotBefore", optional(s.retryNotBefore(), INSTANT),
          "lastRefusal", optional(s.lastRefusal(), AUTO_TOP_UP_REFUSAL),
          "lastDecline", optional(s.lastDecline(), AUTO_TOP_UP_DECLINE), "switchedOff", s.switchedOff()),
      n -> new AutoTopUpStatus(n.field("rule").optional(AUTO_TOP_UP), n.field("open").optional(AUTO_TOP_UP_REQUEST),
          n.field("requestsThisPeriod").smallInteger(), n.field("requestedThisPeriod").optional(MONEY),
          n.field("declinesInARow").smallInteger(), n.field("retryNotBefore").optional(INSTANT),
          n.field("lastRefusal").optional(AUTO_TOP_UP_REFUSAL), n.field("lastDecline").optional(AUTO_TOP_UP_DECLINE),
          n.field("switchedOff").bool()));

  /**
   * Shapes v2 (0.4) add {@code promotions} last; v3 (0.4, auto top-up) then {@code autoTopUp}, an
   * auto top-up status or {@code null}. A status without them (v1, 0.3; v2) reads as one with none.
   */
  static final JsonShape<WalletStatus> WALLET_STATUS = JsonShape.shape(WalletStatus.class,
      s -> object("account", s.account().value(), "plan", s.plan(), "renewalPlan", s.renewalPlan(),
          "balance", s.balance().toString(), "available", s.available().toString(), "held", s.held().toString(),
          "debt", s.debt().toString(), "subscription", s.subscription().toString(), "packs", s.packs().toString(),
          "packLots", list(s.packLots(), PACK_LOT), "reference", s.reference().toString(), "meter", s.meter().name(),
          "periodStart", s.periodStart().toString(), "nextRenewal", s.nextRenewal().toString(),
          "promotions", list(s.promotions(), PROMOTION_LOT), "autoTopUp", optional(s.autoTopUp(), AUTO_TOP_UP_STATUS)),
      n -> new WalletStatus(n.field("account").as(ACCOUNT), n.field("plan").string(), n.field("renewalPlan").string(),
          n.field("balance").credits(), n.field("available").credits(), n.field("held").credits(),
          n.field("debt").credits(), n.field("subscription").credits(), n.field("packs").credits(),
          n.field("packLots").list(PACK_LOT), n.field("reference").credits(), n.field("meter").as(METER),
          n.field("periodStart").instant(), n.field("nextRenewal").instant(),
          n.field("promotions").listOrEmpty(PROMOTION_LOT), n.field("autoTopUp").optional(AUTO_TOP_UP_STATUS)));

  /** The fields and order of a line of the ledger's JSON Lines export. */
  static final JsonShape<LedgerEntry> LEDGER_ENTRY = JsonShape.shape(LedgerEntry.class,
      e -> object("at", e.at().toString(), "account", e.account().value(), "kind", e.kind().name(), "grant", e.grant(),
          "amount", e.amount().toString(), "operation", e.operation(), "key", e.key()),
      n -> new LedgerEntry(n.field("account").as(ACCOUNT), n.field("at").instant(), n.field("kind").as(LEDGER_KIND),
          n.field("grant").string(), n.field("amount").credits(), n.field("operation").string(),
          n.field("key").string()));

  /** {@code differences} by grant or hold, in string order. */
  static final JsonShape<LedgerReplay> LEDGER_REPLAY = JsonShape.shape(LedgerReplay.class, r -> {
    Map<String, Object> differences = new TreeMap<>();
    r.differences().forEach((grant, difference) -> differences.put(grant, difference.toString()));
    return object("account", r.account().value(), "entries", r.entries(), "ledgerBalance", r.ledgerBalance().toString(),
        "walletBalance", r.walletBalance().toString(), "ledgerHeld", r.ledgerHeld().toString(),
        "walletHeld", r.walletHeld().toString(), "differences", new LinkedHashMap<>(differences));
  }, n -> {
    Map<String, Credits> differences = new LinkedHashMap<>();
    n.field("differences").properties().forEach((grant, difference) -> differences.put(grant, difference.credits()));
    return new LedgerReplay(n.field("account").as(ACCOUNT), n.field("entries").integer(),
        n.field("ledgerBalance").credits(), n.field("walletBalance").credits(), n.field("ledgerHeld").credits(),
        n.field("walletHeld").credits(), differences);
  });

  /** {@code "type"}: the event's name in the outbox format e1 ({@code "threshold-crossed"}), then its fields. */
  static final JsonShape<WalletEvent> WALLET_EVENT =
      JsonShape.shape(WalletEvent.class, Shapes::writeEvent, Shapes::readEvent);

  static final JsonShape<RetryStatistics> RETRY_STATISTICS = JsonShape.shape(RetryStatistics.class,
      r -> object("lostRaces", r.lostRaces(), "storeRetries", r.storeRetries(), "givenUp", r.givenUp()),
      n -> new RetryStatistics(n.field("lostRaces").integer(), n.field("storeRetries").integer(),
          n.field("givenUp").integer()));

  private static final List<String> EVENT_TYPES = List.of("threshold-crossed", "credits-granted",
      "subscription-renewed", "subscription-credits-expired", "plan-changed", "member-added", "member-removed",
      "promotion-granted", "promotion-expired", "balance-below", "credits-depleted", "promotion-expiring",
      "auto-top-up-requested", "auto-top-up-refused", "auto-top-up-disabled", "pack-reversed");

  /** Every shape a module registers: each type, and each kind of a closed set by its own class. */
  static final List<JsonShape<?>> ALL = List.of(CREDITS, MONEY, ACCOUNT, KEY, OPERATION, EVENT_ID, METER, REASON,
      COST_KIND, COST_BREAKDOWN,
      LEDGER_KIND, OUTCOME_KIND, OUTCOME, PACK, ROLLOVER, PLAN, CUSTOM_PACK_TERMS, CATALOG, TOP_UP_OPTION, UPGRADE_OPTION,
      RENEWAL_OPTION, WAYS_OUT,
      DECISION, DECISION.kind(Decision.Allowed.class, "decision", "allowed"),
      DECISION.kind(Decision.Denied.class, "decision", "denied"),
      SEAT_DECISION, SEAT_DECISION.kind(SeatDecision.Added.class, "decision", "added"),
      SEAT_DECISION.kind(SeatDecision.Denied.class, "decision", "denied"),
      TOP_UP, HOLD_SETTLEMENT, BALANCE_CHANGE, PLAN_CHANGE, MEMBER_USAGE, USAGE_REPORT, PACK_LOT, WALLET_STATUS,
      LEDGER_ENTRY, LEDGER_REPLAY, WALLET_EVENT,
      WALLET_EVENT.kind(WalletEvent.ThresholdCrossed.class, "type", EVENT_TYPES.get(0)),
      WALLET_EVENT.kind(WalletEvent.CreditsGranted.class, "type", EVENT_TYPES.get(1)),
      WALLET_EVENT.kind(WalletEvent.SubscriptionRenewed.class, "type", EVENT_TYPES.get(2)),
      WALLET_EVENT.kind(WalletEvent.SubscriptionCreditsExpired.class, "type", EVENT_TYPES.get(3)),
      WALLET_EVENT.kind(WalletEvent.PlanChanged.class, "type", EVENT_TYPES.get(4)),
      WALLET_EVENT.kind(WalletEvent.MemberAdded.class, "type", EVENT_TYPES.get(5)),
      WALLET_EVENT.kind(WalletEvent.MemberRemoved.class, "type", EVENT_TYPES.get(6)),
      WALLET_EVENT.kind(WalletEvent.PromotionGranted.class, "type", EVENT_TYPES.get(7)),
      WALLET_EVENT.kind(WalletEvent.PromotionExpired.class, "type", EVENT_TYPES.get(8)),
      WALLET_EVENT.kind(WalletEvent.BalanceBelow.class, "type", EVENT_TYPES.get(9)),
      WALLET_EVENT.kind(WalletEvent.CreditsDepleted.class, "type", EVENT_TYPES.get(10)),
      WALLET_EVENT.kind(WalletEvent.PromotionExpiring.class, "type", EVENT_TYPES.get(11)),
      WALLET_EVENT.kind(WalletEvent.AutoTopUpRequested.class, "type", EVENT_TYPES.get(12)),
      WALLET_EVENT.kind(WalletEvent.AutoTopUpRefused.class, "type", EVENT_TYPES.get(13)),
      WALLET_EVENT.kind(WalletEvent.AutoTopUpDisabled.class, "type", EVENT_TYPES.get(14)),
      WALLET_EVENT.kind(WalletEvent.PackReversed.class, "type", EVENT_TYPES.get(15)), PROMOTION_LOT,
      AUTO_TOP_UP_LIMIT, AUTO_TOP_UP, AUTO_TOP_UP_REQUEST, AUTO_TOP_UP_REFUSAL, AUTO_TOP_UP_DECLINE, AUTO_TOP_UP_STATUS,
      RETRY_STATISTICS, FORECAST, FORECAST.kind(Forecast.Projected.class, "forecast", FORECASTS.get(0)),
      FORECAST.kind(Forecast.NoSpend.class, "forecast", FORECASTS.get(1)),
      FORECAST.kind(Forecast.NotEnoughHistory.class, "forecast", FORECASTS.get(2)),
      PERIOD_SUMMARY, WAIT_WHY, UPGRADE_WHY, WAY, ADVICE,
      ADVICE.kind(Advice.WaitForRenewal.class, "advice", ADVICE_KINDS.get(0)),
      ADVICE.kind(Advice.BuyPack.class, "advice", ADVICE_KINDS.get(1)),
      ADVICE.kind(Advice.Upgrade.class, "advice", ADVICE_KINDS.get(2)));

  private static Object writeEvent(WalletEvent event) {
    Map<String, @Nullable Object> json = object("type", "", "account", event.account().value(),
        "at", event.at().toString());
    if (event instanceof WalletEvent.ThresholdCrossed e) {
      json.put("type", EVENT_TYPES.get(0));
      json.put("percent", e.percent());
      json.put("available", e.available().toString());
      json.put("reference", e.reference().toString());
    } else if (event instanceof WalletEvent.CreditsGranted e) {
      json.put("type", EVENT_TYPES.get(1));
      json.put("grant", e.grant());
      json.put("credits", e.credits().toString());
    } else if (event instanceof WalletEvent.SubscriptionRenewed e) {
      json.put("type", EVENT_TYPES.get(2));
      json.put("plan", e.plan());
      json.put("credits", e.credits().toString());
      json.put("nextRenewal", e.nextRenewal().toString());
    } else if (event instanceof WalletEvent.SubscriptionCreditsExpired e) {
      json.put("type", EVENT_TYPES.get(3));
      json.put("credits", e.credits().toString());
    } else if (event instanceof WalletEvent.PlanChanged e) {
      json.put("type", EVENT_TYPES.get(4));
      json.put("from", e.from());
      json.put("to", e.to());
      json.put("effectiveAt", e.effectiveAt().toString());
    } else if (event instanceof WalletEvent.MemberAdded e) {
      json.put("type", EVENT_TYPES.get(5));
      json.put("member", e.member().value());
    } else if (event instanceof WalletEvent.PromotionGranted e) {
      json.put("type", EVENT_TYPES.get(7));
      json.put("grant", e.grant());
      json.put("credits", e.credits().toString());
      json.put("expiresAt", e.expiresAt().toString());
      json.put("reason", e.reason());
      json.put("scope", list(e.scope(), OPERATION));
      json.put("priority", e.priority());
    } else if (event instanceof WalletEvent.PromotionExpired e) {
      json.put("type", EVENT_TYPES.get(8));
      json.put("grant", e.grant());
      json.put("credits", e.credits().toString());
    } else if (event instanceof WalletEvent.BalanceBelow e) {
      json.put("type", EVENT_TYPES.get(9));
      json.put("threshold", e.threshold().toString());
      json.put("available", e.available().toString());
    } else if (event instanceof WalletEvent.CreditsDepleted e) {
      json.put("type", EVENT_TYPES.get(10));
      json.put("available", e.available().toString());
    } else if (event instanceof WalletEvent.PromotionExpiring e) {
      json.put("type", EVENT_TYPES.get(11));
      json.put("grant", e.grant());
      json.put("credits", e.credits().toString());
      json.put("expiresAt", e.expiresAt().toString());
    } else if (event instanceof WalletEvent.AutoTopUpRequested e) {
      json.put("type", EVENT_TYPES.get(12));
      json.put("request", e.request());
      json.put("pack", e.pack());
      json.put("credits", e.credits().toString());
      json.put("price", MONEY.tree(e.price()));
    } else if (event instanceof WalletEvent.AutoTopUpRefused e) {
      json.put("type", EVENT_TYPES.get(13));
      json.put("limit", e.limit().name());
      json.put("price", MONEY.tree(e.price()));
      json.put("requests", e.requests());
      json.put("requested", MONEY.tree(e.requested()));
    } else if (event instanceof WalletEvent.AutoTopUpDisabled e) {
      json.put("type", EVENT_TYPES.get(14));
      json.put("declines", e.declines());
      json.put("reason", e.reason());
    } else if (event instanceof WalletEvent.PackReversed e) {
      json.put("type", EVENT_TYPES.get(15));
      json.put("grant", e.grant());
      json.put("takenBack", e.takenBack().toString());
      json.put("owed", e.owed().toString());
    } else {
      WalletEvent.MemberRemoved e = (WalletEvent.MemberRemoved) event;
      json.put("type", EVENT_TYPES.get(6));
      json.put("member", e.member().value());
    }
    return json;
  }

  private static WalletEvent readEvent(Node n) {
    String type = n.kind("type", "event type", EVENT_TYPES);
    AccountId account = n.field("account").as(ACCOUNT);
    Instant at = n.field("at").instant();
    switch (EVENT_TYPES.indexOf(type)) {
      case 0:
        return new WalletEvent.ThresholdCrossed(account, at, n.field("percent").smallInteger(),
            n.field("available").credits(), n.field("reference").credits());
      case 1:
        return new WalletEvent.CreditsGranted(account, at, n.field("grant").string(), n.field("credits").credits());
      case 2:
        return new WalletEvent.SubscriptionRenewed(account, at, n.field("plan").string(), n.field("credits").credits(),
            n.field("nextRenewal").instant());
      case 3:
        return new WalletEvent.SubscriptionCreditsExpired(account, at, n.field("credits").credits());
      case 4:
        return new WalletEvent.PlanChanged(account, at, n.field("from").string(), n.field("to").string(),
            n.field("effectiveAt").instant());
      case 5:
        return new WalletEvent.MemberAdded(account, at, n.field("member").as(ACCOUNT));
      case 7:
        return new WalletEvent.PromotionGranted(account, at, n.field("grant").string(), n.field("credits").credits(),
            n.field("expiresAt").instant(), n.field("reason").string(), n.field("scope").list(OPERATION),
            n.field("priority").smallInteger());
      case 8:
        return new WalletEvent.PromotionExpired(account, at, n.field("grant").string(), n.field("credits").credits());
      case 9:
        return new WalletEvent.BalanceBelow(account, at, n.field("threshold").credits(),
            n.field("available").credits());
      case 10:
        return new WalletEvent.CreditsDepleted(account, at, n.field("available").credits());
      case 11:
        return new WalletEvent.PromotionExpiring(account, at, n.field("grant").string(), n.field("credits").credits(),
            n.field("expiresAt").instant());
      case 12:
        return new WalletEvent.AutoTopUpRequested(account, at, n.field("request").string(), n.field("pack").string(),
            n.field("credits").credits(), n.field("price").as(MONEY));
      case 13:
        return new WalletEvent.AutoTopUpRefused(account, at, n.field("limit").as(AUTO_TOP_UP_LIMIT),
            n.field("price").as(MONEY), n.field("requests").smallInteger(), n.field("requested").as(MONEY));
      case 14:
        return new WalletEvent.AutoTopUpDisabled(account, at, n.field("declines").smallInteger(),
            n.field("reason").string());
      case 15:
        return new WalletEvent.PackReversed(account, at, n.field("grant").string(), n.field("takenBack").credits(),
            n.field("owed").credits());
      default:
        return new WalletEvent.MemberRemoved(account, at, n.field("member").as(ACCOUNT));
    }
  }

  private static <E extends Enum<E>> JsonShape<E> constant(Class<E> type) {
    return JsonShape.shape(type, Enum::name, n -> n.constant(type));
  }

  /** An object with these fields, in this order: name, value, name, value, ... */
  private static Map<String, @Nullable Object> object(@Nullable Object... namesAndValues) {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      json.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return json;
  }

  private static <T> List<Object> list(List<T> values, JsonShape<T> shape) {
    List<Object> json = new ArrayList<>(values.size());
    for (T value : values) {
      json.add(shape.tree(value));
    }
    return json;
  }

  private static <T> @Nullable Object optional(Optional<T> value, JsonShape<T> shape) {
    return value.isPresent() ? shape.tree(value.get()) : null;
  }
}
