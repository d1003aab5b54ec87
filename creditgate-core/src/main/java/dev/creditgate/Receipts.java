package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.spi.IdempotencyRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns the results of idempotent calls into the text a store keeps in an idempotency record, and
 * back. Fields are length-prefixed ({@code 5:hello}), so any character may appear in them.
 */
final class Receipts {
  private Receipts() {}

  /** Encodes a result for a store (as the record's text encoder) and decodes it back. */
  interface Codec<R> extends Function<R, String> {
    String encode(R result);

    R decode(String text);

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
  }

  static final Codec<Decision> DECISION = new Codec<>() {
    @Override
    public String encode(Decision d) {
      if (!(d instanceof Decision.Allowed a)) {
        throw new IllegalArgumentException("only allowed decisions are recorded");
      }
      return join(a.operation().id(), a.quantity(), a.cost(), a.balanceBefore(), a.balanceAfter(), a.meter());
    }

    @Override
    public Decision decode(String text) {
      List<String> f = split(text);
      return new Decision.Allowed(Operation.of(f.get(0)), Long.parseLong(f.get(1)), credits(f.get(2)),
          credits(f.get(3)), credits(f.get(4)), Meter.valueOf(f.get(5)));
    }
  };

  static final Codec<TopUp> TOP_UP = new Codec<>() {
    @Override
    public String encode(TopUp t) {
      return join(t.grant(), t.pack(), t.credits(), t.balanceAfter(), t.meter());
    }

    @Override
    public TopUp decode(String text) {
      List<String> f = split(text);
      return new TopUp(f.get(0), f.get(1), credits(f.get(2)), credits(f.get(3)), Meter.valueOf(f.get(4)));
    }
  };

  static final Codec<PlanChange> PLAN_CHANGE = new Codec<>() {
    @Override
    public String encode(PlanChange c) {
      return join(c.from(), c.to(), c.immediate(), c.effectiveAt(), c.balanceAfter(),
          join(c.membersToRemove().stream().map(AccountId::value).toArray()));
    }

    @Override
    public PlanChange decode(String text) {
      List<String> f = split(text);
      return new PlanChange(f.get(0), f.get(1), Boolean.parseBoolean(f.get(2)), Instant.parse(f.get(3)),
          credits(f.get(4)), split(f.get(5)).stream().map(AccountId::of).toList());
    }
  };

  static final Codec<HoldSettlement> SETTLEMENT = new Codec<>() {
    @Override
    public String encode(HoldSettlement h) {
      String kind = h.outcome() == null ? "" : h.outcome().kind().name();
      String retryOf = h.outcome() == null ? "" : h.outcome().retryOf();
      return join(h.hold(), h.operation().id(), kind, retryOf, h.held(), h.metered(), h.due(), h.charged(),
          h.balanceAfter(), h.meter());
    }

    @Override
    public HoldSettlement decode(String text) {
      List<String> f = split(text);
      Outcome outcome = f.get(2).isEmpty() ? null : new Outcome(Outcome.Kind.valueOf(f.get(2)), f.get(3));
      return new HoldSettlement(f.get(0), Operation.of(f.get(1)), outcome, credits(f.get(4)),
          credits(f.get(5)), credits(f.get(6)), credits(f.get(7)), credits(f.get(8)), Meter.valueOf(f.get(9)));
    }
  };

  static final Codec<BalanceChange> BALANCE_CHANGE = new Codec<>() {
    @Override
    public String encode(BalanceChange c) {
      return join(c.grant(), c.amount(), c.balanceAfter(), c.meter());
    }

    @Override
    public BalanceChange decode(String text) {
      List<String> f = split(text);
      return new BalanceChange(f.get(0), credits(f.get(1)), credits(f.get(2)), Meter.valueOf(f.get(3)));
    }
  };

  static final Codec<SeatDecision> SEAT = new Codec<>() {
    @Override
    public String encode(SeatDecision d) {
      return join(d.member().value(), d.seatsUsed(), d.seats());
    }

    @Override
    public SeatDecision decode(String text) {
      List<String> f = split(text);
      return new SeatDecision.Added(AccountId.of(f.get(0)), Integer.parseInt(f.get(1)),
          Integer.parseInt(f.get(2)));
    }
  };

  static final Codec<MemberUsage> MEMBER = new Codec<>() {
    @Override
    public String encode(MemberUsage m) {
      List<Object> fields = new ArrayList<>();
      fields.add(m.member().value());
      fields.add(m.cap().map(c -> Long.toString(c.thousandths())).orElse(""));
      fields.add(m.spent());
      m.byOperation().forEach((operation, credits) -> {
        fields.add(operation.id());
        fields.add(credits);
      });
      return join(fields.toArray());
    }

    @Override
    public MemberUsage decode(String text) {
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
    public String encode(Integer count) {
      return count.toString();
    }

    @Override
    public Integer decode(String text) {
      return Integer.valueOf(text);
    }
  };

  /** The request text of charges and captures starts with these; refunds read them back. */
  static final String CHARGE = "charge ";
  static final String CAPTURE = "capture ";

  static Credits credits(String text) {
    return Credits.ofThousandths(Long.parseLong(text));
  }

  static String join(Object... fields) {
    StringBuilder out = new StringBuilder(64);
    for (Object field : fields) {
      String text = field instanceof Credits c ? Long.toString(c.thousandths()) : String.valueOf(field);
      out.append(text.length()).append(':').append(text);
    }
    return out.toString();
  }

  static List<String> split(String text) {
    List<String> fields = new ArrayList<>(8);
    int i = 0;
    while (i < text.length()) {
      int colon = text.indexOf(':', i);
      int length = Integer.parseInt(text, i, colon, 10);
      fields.add(text.substring(colon + 1, colon + 1 + length));
      i = colon + 1 + length;
    }
    return fields;
  }
}
