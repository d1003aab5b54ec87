package dev.creditgate;

import static dev.creditgate.Fields.credits;
import static dev.creditgate.Fields.join;
import static dev.creditgate.Fields.split;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Money;
import java.time.Duration;
import java.util.Currency;
import dev.creditgate.model.Cost;
import dev.creditgate.model.CostBreakdown;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.spi.IdempotencyRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns the results of idempotent calls into the text a store keeps in an idempotency record, and
 * back. The text is the format tag {@value #FORMAT} then the answer's fields, length-prefixed
 * ({@code 5:hello}, see {@link Fields}), so any character may appear in them. Releases after this
 * one must read what it wrote: the golden file {@code creditgate-golden/answers-v2.txt} of
 * creditgate-testkit pins it.
 *
 * <p>{@code a2} (0.3) is {@code a1} (0.2) with the terms of the cost's breakdown after a decision's
 * and a settlement's fields ({@link CostBreakdown}); every other answer has the same fields in
 * both. An {@code a1} decision or settlement reads as one whose cost is
 * {@link CostBreakdown.Kind#NOT_ITEMIZED}. 0.1 wrote {@code a1}'s fields without a tag; such text
 * (it starts with a digit or a minus sign, a tag never does) still decodes, so records written
 * before an upgrade are answered after it.
 */
final class Receipts {
  /** The format of the answers this release writes. */
  static final String FORMAT = "a2;";
  /** The format 0.2 wrote. */
  static final String FORMAT_0_2 = "a1;";

  private Receipts() {}

  /** Encodes a result for a store (as the record's text encoder) and decodes it back. */
  interface Codec<R> extends Function<R, String> {
    /** The answer's fields in this release's format, without the format tag. */
    String encodeFields(R result);

    /**
     * The answer of {@code fields}: this release's ({@code itemized}), or those of {@code a1} and
     * 0.1, which have no cost breakdown.
     */
    R decodeFields(String fields, boolean itemized);

    /** The answer's recorded text: the format tag, then its fields. */
    default String encode(R result) {
      return FORMAT + encodeFields(result);
    }

    /**
     * Decodes {@link #encode}'s text, {@code a1}'s, or 0.1's untagged text.
     *
     * @throws IllegalArgumentException if the text is of a format this release does not know
     */
    default R decode(String text) {
      boolean current = text.startsWith(FORMAT);
      boolean v1 = text.startsWith(FORMAT_0_2);
      if (!current && !v1 && !isUntagged(text)) {
        throw new IllegalArgumentException("recorded answer '" + text + "' is in a format this release does not know");
      }
      String fields = current ? text.substring(FORMAT.length()) : v1 ? text.substring(FORMAT_0_2.length()) : text;
      try {
        return decodeFields(fields, current);
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("recorded answer '" + text + "' does not decode: " + e, e);
      }
    }

    /** 0.1's text: a length prefix first, or a count (the one answer that is a bare number). */
    private static boolean isUntagged(String text) {
      char first = text.isEmpty() ? ' ' : text.charAt(0);
      return first >= '0' && first <= '9' || first == '-';
    }

    @Override
    default String apply(R result) {
      return encode(result);
    }

    /** The record's result: the object it was made with if it has one, else its text decoded. */
    @SuppressWarnings("unchecked")
    default R resultOf(IdempotencyRecord record) {
      Optional<Object> value = record.value();
      return value.isPresent() ? (R) value.get() : decode(record.result());
    }

    /**
     * What {@code record} answered, for a repeat of {@code request} with the record's key.
     *
     * @throws IdempotencyConflictException if the key was recorded for another request
     */
    default R replay(IdempotencyRecord record, Request request) {
      if (!RequestCodec.matches(record.request(), request)) {
        throw new IdempotencyConflictException(record.key(), record.request(), RequestCodec.encode(request));
      }
      return resultOf(record);
    }
  }

  /** A decision's fields, then its breakdown's terms: kind, base, rate, block size. */
  static final Codec<Decision> DECISION = new Codec<>() {
    @Override
    public String encodeFields(Decision d) {
      if (!(d instanceof Decision.Allowed a)) {
        throw new IllegalArgumentException("only allowed decisions are recorded");
      }
      CostBreakdown b = a.costBreakdown();
      return join(a.operation().id(), a.quantity(), a.cost(), a.balanceBefore(), a.balanceAfter(), a.meter(),
          b.kind(), b.base(), b.rate(), b.blockSize());
    }

    @Override
    public Decision decodeFields(String text, boolean itemized) {
      List<String> f = split(text);
      Operation operation = Operation.of(f.get(0));
      long quantity = Long.parseLong(f.get(1));
      Credits cost = credits(f.get(2));
      if (!itemized || f.get(6).equals(CostBreakdown.Kind.NOT_ITEMIZED.name())) {
        return new Decision.Allowed(operation, quantity, cost, credits(f.get(3)), credits(f.get(4)),
            Meter.valueOf(f.get(5)));
      }
      CostBreakdown breakdown = terms(f, 6).explain(quantity);
      return new Decision.Allowed(operation, quantity, cost, credits(f.get(3)), credits(f.get(4)),
          Meter.valueOf(f.get(5)), breakdown);
    }
  };

  /** The terms of a breakdown's kind, base, rate and block size, from fields {@code i..i+3}. */
  private static Cost terms(List<String> f, int i) {
    CostBreakdown.Kind kind = CostBreakdown.Kind.valueOf(f.get(i));
    Credits base = credits(f.get(i + 1));
    Credits rate = credits(f.get(i + 2));
    long blockSize = Long.parseLong(f.get(i + 3));
    Cost terms = kind == CostBreakdown.Kind.FIXED ? Cost.fixed(rate)
        : kind == CostBreakdown.Kind.METERED ? Cost.metered(base, rate, blockSize) : Cost.free();
    CostBreakdown check = terms.explain(0);
    if (check.kind() != kind || !check.base().equals(base) || !check.rate().equals(rate)
        || check.blockSize() != blockSize) {
      throw new IllegalArgumentException("cost terms " + f.subList(i, i + 4) + " are not those of a "
          + kind + " cost");
    }
    return terms;
  }

  static final Codec<TopUp> TOP_UP = new Codec<>() {
    @Override
    public String encodeFields(TopUp t) {
      return join(t.grant(), t.pack(), t.credits(), t.balanceAfter(), t.meter());
    }

    @Override
    public TopUp decodeFields(String text, boolean itemized) {
      List<String> f = split(text);
      return new TopUp(f.get(0), f.get(1), credits(f.get(2)), credits(f.get(3)), Meter.valueOf(f.get(4)));
    }
  };

  static final Codec<PlanChange> PLAN_CHANGE = new Codec<>() {
    @Override
    public String encodeFields(PlanChange c) {
      return join(c.from(), c.to(), c.immediate(), c.effectiveAt(), c.balanceAfter(),
          join(c.membersToRemove().stream().map(AccountId::value).toArray()));
    }

    @Override
    public PlanChange decodeFields(String text, boolean itemized) {
      List<String> f = split(text);
      return new PlanChange(f.get(0), f.get(1), Boolean.parseBoolean(f.get(2)), Instant.parse(f.get(3)),
          credits(f.get(4)), split(f.get(5)).stream().map(AccountId::of).toList());
    }
  };

  /** A settlement's fields, then its breakdown's terms (kind, base, rate, block size), units and share. */
  static final Codec<HoldSettlement> SETTLEMENT = new Codec<>() {
    @Override
    public String encodeFields(HoldSettlement h) {
      String kind = h.outcome() == null ? "" : h.outcome().kind().name();
      String retryOf = h.outcome() == null ? "" : h.outcome().retryOf();
      CostBreakdown b = h.costBreakdown();
      return join(h.hold(), h.operation().id(), kind, retryOf, h.held(), h.metered(), h.due(), h.charged(),
          h.balanceAfter(), h.meter(), b.kind(), b.base(), b.rate(), b.blockSize(), b.units(), b.share());
    }

    @Override
    public HoldSettlement decodeFields(String text, boolean itemized) {
      List<String> f = split(text);
      Outcome outcome = f.get(2).isEmpty() ? null : new Outcome(Outcome.Kind.valueOf(f.get(2)), f.get(3));
      Credits due = credits(f.get(6));
      CostBreakdown breakdown = !itemized || f.get(10).equals(CostBreakdown.Kind.NOT_ITEMIZED.name())
          ? CostBreakdown.notItemized(itemized ? Long.parseLong(f.get(14)) : 0, due)
          : terms(f, 10).explain(Long.parseLong(f.get(14))).withShare(Integer.parseInt(f.get(15)));
      return new HoldSettlement(f.get(0), Operation.of(f.get(1)), outcome, credits(f.get(4)),
          credits(f.get(5)), due, credits(f.get(7)), credits(f.get(8)), Meter.valueOf(f.get(9)), breakdown);
    }
  };

  static final Codec<BalanceChange> BALANCE_CHANGE = new Codec<>() {
    @Override
    public String encodeFields(BalanceChange c) {
      return join(c.grant(), c.amount(), c.balanceAfter(), c.meter());
    }

    @Override
    public BalanceChange decodeFields(String text, boolean itemized) {
      List<String> f = split(text);
      return new BalanceChange(f.get(0), credits(f.get(1)), credits(f.get(2)), Meter.valueOf(f.get(3)));
    }
  };

  static final Codec<SeatDecision> SEAT = new Codec<>() {
    @Override
    public String encodeFields(SeatDecision d) {
      return join(d.member().value(), d.seatsUsed(), d.seats());
    }

    @Override
    public SeatDecision decodeFields(String text, boolean itemized) {
      List<String> f = split(text);
      return new SeatDecision.Added(AccountId.of(f.get(0)), Integer.parseInt(f.get(1)),
          Integer.parseInt(f.get(2)));
    }
  };

  static final Codec<MemberUsage> MEMBER = new Codec<>() {
    @Override
    public String encodeFields(MemberUsage m) {
      List<Object> fields = new ArrayList<>();
      fields.add(m.member().value());
      fields.add(m.cap().map(c -> Long.toString(c.thousandths())).orElse(""));
      fields.add(m.spent());
      // By operation id: the map's own order varies from run to run, the recorded text must not.
      Map<Operation, Credits> byId = new TreeMap<>(Comparator.comparing(Operation::id));
      byId.putAll(m.byOperation());
      byId.forEach((operation, credits) -> {
        fields.add(operation.id());
        fields.add(credits);
      });
      return join(fields.toArray());
    }

    @Override
    public MemberUsage decodeFields(String text, boolean itemized) {
      List<String> f = split(text);
      Map<Operation, Credits> byOperation = new HashMap<>();
      for (int i = 3; i < f.size(); i += 2) {
        byOperation.put(Operation.of(f.get(i)), credits(f.get(i + 1)));
      }
      Optional<Credits> cap = f.get(1).isEmpty() ? Optional.empty() : Optional.of(credits(f.get(1)));
      return new MemberUsage(AccountId.of(f.get(0)), cap, credits(f.get(2)), byOperation);
    }
  };

  /**
   * An auto top-up status: each optional part as one field, empty when absent, else its own fields
   * joined (the rule: threshold, pack, target balance, limit in minor units and currency, count,
   * decline limit, back-off; the open request: id, pack, credits, price, time; the refusal: time,
   * limit, price; the decline: time, request, reason), then the counts and the switch-off.
   */
  static final Codec<AutoTopUpStatus> AUTO_TOP_UP = new Codec<>() {
    @Override
    public String encodeFields(AutoTopUpStatus s) {
      return join(s.rule().map(r -> join(r.threshold(), r.pack().orElse(""), r.targetBalance().map(c ->
          Long.toString(c.thousandths())).orElse(""), r.monthlyLimit().minorUnits(),
          r.monthlyLimit().currency().getCurrencyCode(), r.monthlyCount(), r.declineLimit(), r.backoff())).orElse(""),
          s.open().map(o -> join(o.id(), o.pack(), o.credits(), o.price().minorUnits(),
              o.price().currency().getCurrencyCode(), o.requestedAt())).orElse(""),
          s.requestsThisPeriod(),
          s.requestedThisPeriod().map(m -> join(m.minorUnits(), m.currency().getCurrencyCode())).orElse(""),
          s.declinesInARow(), s.retryNotBefore().map(Instant::toString).orElse(""),
          s.lastRefusal().map(r -> join(r.at(), r.limit().name(), r.price().minorUnits(),
              r.price().currency().getCurrencyCode())).orElse(""),
          s.lastDecline().map(d -> join(d.at(), d.request(), d.reason())).orElse(""), s.switchedOff());
    }

    @Override
    public AutoTopUpStatus decodeFields(String text, boolean itemized) {
      List<String> f = split(text);
      Optional<AutoTopUp> rule = part(f.get(0)).map(r -> new AutoTopUp(credits(r.get(0)),
          r.get(1).isEmpty() ? Optional.empty() : Optional.of(r.get(1)),
          r.get(2).isEmpty() ? Optional.empty() : Optional.of(credits(r.get(2))), money(r.get(3), r.get(4)),
          Integer.parseInt(r.get(5)), Integer.parseInt(r.get(6)), Duration.parse(r.get(7))));
      Optional<AutoTopUpStatus.OpenRequest> open = part(f.get(1)).map(o -> new AutoTopUpStatus.OpenRequest(o.get(0),
          o.get(1), credits(o.get(2)), money(o.get(3), o.get(4)), Instant.parse(o.get(5))));
      Optional<Money> requested = part(f.get(3)).map(m -> money(m.get(0), m.get(1)));
      Optional<Instant> notBefore = f.get(5).isEmpty() ? Optional.empty() : Optional.of(Instant.parse(f.get(5)));
      Optional<AutoTopUpStatus.Refusal> refusal = part(f.get(6)).map(r -> new AutoTopUpStatus.Refusal(
          Instant.parse(r.get(0)), AutoTopUp.Limit.valueOf(r.get(1)), money(r.get(2), r.get(3))));
      Optional<AutoTopUpStatus.Decline> decline = part(f.get(7)).map(d -> new AutoTopUpStatus.Decline(
          Instant.parse(d.get(0)), d.get(1), d.get(2)));
      return new AutoTopUpStatus(rule, open, Integer.parseInt(f.get(2)), requested, Integer.parseInt(f.get(4)),
          notBefore, refusal, decline, Boolean.parseBoolean(f.get(8)));
    }
  };

  private static Optional<List<String>> part(String field) {
    return field.isEmpty() ? Optional.empty() : Optional.of(split(field));
  }

  private static Money money(String minorUnits, String currency) {
    return new Money(Long.parseLong(minorUnits), Currency.getInstance(currency));
  }

  static final Codec<Integer> COUNT = new Codec<>() {
    @Override
    public String encodeFields(Integer count) {
      return count.toString();
    }

    @Override
    public Integer decodeFields(String text, boolean itemized) {
      return Integer.valueOf(text);
    }
  };
}
