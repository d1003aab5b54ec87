package dev.creditgate;

import static dev.creditgate.Fields.credits;
import static dev.creditgate.Fields.join;
import static dev.creditgate.Fields.split;

import dev.creditgate.model.AccountId;
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
 * one must read what it wrote: the golden file {@code creditgate-golden/answers-v1.txt} of
 * creditgate-testkit pins it.
 *
 * <p>0.1 wrote the same fields without a tag; such text (it starts with a digit or a minus sign, a
 * tag never does) still decodes, so records written before an upgrade are answered after it.
 */
final class Receipts {
  /** The format of the answers this release writes. */
  static final String FORMAT = "a1;";

  private Receipts() {}

  /** Encodes a result for a store (as the record's text encoder) and decodes it back. */
  interface Codec<R> extends Function<R, String> {
    /** The answer's fields, without the format tag: exactly what 0.1 recorded. */
    String encodeFields(R result);

    R decodeFields(String fields);

    /** The answer's recorded text: the format tag, then its fields. */
    default String encode(R result) {
      return FORMAT + encodeFields(result);
    }

    /**
     * Decodes {@link #encode}'s text, or 0.1's untagged text.
     *
     * @throws IllegalArgumentException if the text is of a format this release does not know
     */
    default R decode(String text) {
      if (text.startsWith(FORMAT)) {
        return decodeFields(text.substring(FORMAT.length()));
      }
      if (isUntagged(text)) {
        return decodeFields(text);
      }
      throw new IllegalArgumentException("recorded answer '" + text + "' is in a format this release does not know");
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

  static final Codec<Decision> DECISION = new Codec<>() {
    @Override
    public String encodeFields(Decision d) {
      if (!(d instanceof Decision.Allowed a)) {
        throw new IllegalArgumentException("only allowed decisions are recorded");
      }
      return join(a.operation().id(), a.quantity(), a.cost(), a.balanceBefore(), a.balanceAfter(), a.meter());
    }

    @Override
    public Decision decodeFields(String text) {
      List<String> f = split(text);
      return new Decision.Allowed(Operation.of(f.get(0)), Long.parseLong(f.get(1)), credits(f.get(2)),
          credits(f.get(3)), credits(f.get(4)), Meter.valueOf(f.get(5)));
    }
  };

  static final Codec<TopUp> TOP_UP = new Codec<>() {
    @Override
    public String encodeFields(TopUp t) {
      return join(t.grant(), t.pack(), t.credits(), t.balanceAfter(), t.meter());
    }

    @Override
    public TopUp decodeFields(String text) {
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
    public PlanChange decodeFields(String text) {
      List<String> f = split(text);
      return new PlanChange(f.get(0), f.get(1), Boolean.parseBoolean(f.get(2)), Instant.parse(f.get(3)),
          credits(f.get(4)), split(f.get(5)).stream().map(AccountId::of).toList());
    }
  };

  static final Codec<HoldSettlement> SETTLEMENT = new Codec<>() {
    @Override
    public String encodeFields(HoldSettlement h) {
      String kind = h.outcome() == null ? "" : h.outcome().kind().name();
      String retryOf = h.outcome() == null ? "" : h.outcome().retryOf();
      return join(h.hold(), h.operation().id(), kind, retryOf, h.held(), h.metered(), h.due(), h.charged(),
          h.balanceAfter(), h.meter());
    }

    @Override
    public HoldSettlement decodeFields(String text) {
      List<String> f = split(text);
      Outcome outcome = f.get(2).isEmpty() ? null : new Outcome(Outcome.Kind.valueOf(f.get(2)), f.get(3));
      return new HoldSettlement(f.get(0), Operation.of(f.get(1)), outcome, credits(f.get(4)),
          credits(f.get(5)), credits(f.get(6)), credits(f.get(7)), credits(f.get(8)), Meter.valueOf(f.get(9)));
    }
  };

  static final Codec<BalanceChange> BALANCE_CHANGE = new Codec<>() {
    @Override
    public String encodeFields(BalanceChange c) {
      return join(c.grant(), c.amount(), c.balanceAfter(), c.meter());
    }

    @Override
    public BalanceChange decodeFields(String text) {
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
    public SeatDecision decodeFields(String text) {
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
    public MemberUsage decodeFields(String text) {
      List<String> f = split(text);
      Map<Operation, Credits> byOperation = new HashMap<>();
      for (int i = 3; i < f.size(); i += 2) {
        byOperation.put(Operation.of(f.get(i)), credits(f.get(i + 1)));
      }
      Optional<Credits> cap = f.get(1).isEmpty() ? Optional.empty() : Optional.of(credits(f.get(1)));
      return new MemberUsage(AccountId.of(f.get(0)), cap, credits(f.get(2)), byOperation);
    }
  };

  static final Codec<Integer> COUNT = new Codec<>() {
    @Override
    public String encodeFields(Integer count) {
      return count.toString();
    }

    @Override
    public Integer decodeFields(String text) {
      return Integer.valueOf(text);
    }
  };
}
