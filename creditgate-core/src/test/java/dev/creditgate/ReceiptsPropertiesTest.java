package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Cost;
import dev.creditgate.model.CostBreakdown;
import dev.creditgate.model.Credits;
import dev.creditgate.model.OutcomePolicy;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every answer a persistent store keeps as text reads back equal to the answer itself: the
 * in-memory store replays the answer object, a database replays the decoded text, and a repeated
 * call must get the same answer from both. Its arbitraries serve the request properties too.
 */
class ReceiptsPropertiesTest {

  @Property(tries = 200)
  void everyRecordedAnswerDecodesEqualToItself(@ForAll("answers") Object answer) {
    Receipts.Codec<Object> codec = codecOf(answer);
    String text = codec.encode(answer);
    assertTrue(text.startsWith(Receipts.FORMAT), text);
    assertEquals(answer, codec.decode(text));
  }

  /**
   * 0.1 recorded a1's fields without a tag, and 0.2 with the tag a1: a record either wrote still
   * answers after the upgrade, the same answer but for its cost, which they did not itemize.
   */
  @Property(tries = 200)
  void everyAnswerRecordedBy01Or02DecodesEqualToItselfNotItemized(@ForAll("answers") Object answer) {
    Receipts.Codec<Object> codec = codecOf(answer);
    String fields = a1FieldsOf(answer, codec.encodeFields(answer));
    assertEquals(LegacyFormatsTest.notItemized(answer), codec.decode(fields));
    assertEquals(LegacyFormatsTest.notItemized(answer), codec.decode(Receipts.FORMAT_0_2 + fields));
  }

  /** The answer's fields in a1: a decision's and a settlement's without their cost terms. */
  private static String a1FieldsOf(Object answer, String fields) {
    int kept = answer instanceof Decision ? 6 : answer instanceof HoldSettlement ? 10 : -1;
    return kept < 0 ? fields : Fields.join(Fields.split(fields).subList(0, kept).toArray());
  }

  /** The codec of each kind of answer, as the gate picks it for the call that answers it. */
  @SuppressWarnings("unchecked")
  static Receipts.Codec<Object> codecOf(Object answer) {
    Receipts.Codec<?> codec = answer instanceof Decision ? Receipts.DECISION
        : answer instanceof TopUp ? Receipts.TOP_UP
        : answer instanceof PlanChange ? Receipts.PLAN_CHANGE
        : answer instanceof HoldSettlement ? Receipts.SETTLEMENT
        : answer instanceof BalanceChange ? Receipts.BALANCE_CHANGE
        : answer instanceof SeatDecision ? Receipts.SEAT
        : answer instanceof MemberUsage ? Receipts.MEMBER
        : answer instanceof AutoTopUpStatus ? Receipts.AUTO_TOP_UP
        : Receipts.COUNT;
    return (Receipts.Codec<Object>) codec;
  }

  @Provide
  Arbitrary<Object> answers() {
    Arbitrary<Object> decisions = Combinators.combine(operations(), Arbitraries.longs(), credits(), credits(),
        credits(), meters()).as(Decision.Allowed::new);
    Arbitrary<Cost> costs = Arbitraries.oneOf(Arbitraries.just(Cost.free()),
        Arbitraries.longs().between(1, 1_000_000).map(t -> Cost.fixed(Credits.ofThousandths(t))),
        Combinators.combine(Arbitraries.longs().between(0, 1_000_000), Arbitraries.longs().between(1, 1_000_000),
            Arbitraries.longs().between(1, 100_000))
            .as((base, rate, block) -> Cost.metered(Credits.ofThousandths(base), Credits.ofThousandths(rate), block)));
    Arbitrary<Object> itemizedDecisions = Combinators.combine(operations(), costs,
        Arbitraries.longs().between(1, 10_000_000), credits(), meters())
        .as((operation, cost, quantity, before, meter) -> new Decision.Allowed(operation, quantity, cost.of(quantity),
            before, before, meter, cost.explain(quantity)));
    Arbitrary<Object> itemizedSettlements = Combinators.combine(text(), operations(), costs,
        Arbitraries.longs().between(0, 10_000_000), Arbitraries.integers().between(0, OutcomePolicy.ALL), credits(),
        meters())
        .as((hold, operation, cost, quantity, share, after, meter) -> {
          CostBreakdown b = cost.explain(quantity).withShare(share);
          return new HoldSettlement(hold, operation, Outcome.succeeded(), b.metered(), b.metered(), b.total(),
              b.total(), after, meter, b);
        });
    Arbitrary<Object> topUps = Combinators.combine(text(), text(), credits(), credits(), meters()).as(TopUp::new);
    Arbitrary<Object> planChanges = Combinators.combine(text(), text(), Arbitraries.of(true, false), instants(),
        credits(), accounts().list().ofMaxSize(3)).as(PlanChange::new);
    Arbitrary<Outcome> outcomes = Arbitraries.oneOf(Arbitraries.of(Outcome.Kind.values())
        .filter(k -> k != Outcome.Kind.RETRY).map(k -> new Outcome(k, "")),
        text().map(attempt -> new Outcome(Outcome.Kind.RETRY, attempt)));
    Arbitrary<Object> settlements = Combinators.combine(text(), operations(), outcomes.injectNull(0.2),
            credits().list().ofSize(5), meters())
        .as((hold, operation, outcome, c, meter) -> new HoldSettlement(hold, operation, outcome, c.get(0), c.get(1),
            c.get(2), c.get(3), c.get(4), meter));
    Arbitrary<Object> changes = Combinators.combine(Arbitraries.oneOf(text(), Arbitraries.just("")), credits(),
        credits(), meters()).as(BalanceChange::new);
    Arbitrary<Object> seats = Combinators.combine(accounts(), Arbitraries.integers(), Arbitraries.integers())
        .as(SeatDecision.Added::new);
    Arbitrary<Map<Operation, Credits>> spending = Arbitraries.maps(operations(), credits()).ofMaxSize(3);
    Arbitrary<Object> usages = Combinators.combine(accounts(), credits().optional(), credits(), spending)
        .as(MemberUsage::new);
    return Arbitraries.oneOf(decisions, itemizedDecisions, topUps, planChanges, settlements, itemizedSettlements,
        changes, seats, usages,
        Arbitraries.integers().map(n -> (Object) n));
  }

  /** Any text an id may hold: separators, digits, colons, characters beyond the BMP; no U+0000 or lone surrogate. */
  static Arbitrary<String> text() {
    return Arbitraries.oneOf(
            Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40),
            Arbitraries.strings().withChars("0123456789:; ").ofMinLength(1).ofMaxLength(20),
            Arbitraries.of("1:x", "ä✓😀", "subscription"))
        .filter(s -> !s.isBlank()
            && s.codePoints().noneMatch(c -> c == 0 || c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE));
  }

  static Arbitrary<Operation> operations() {
    return text().filter(s -> s.length() <= 100 && !s.contains(",") && !s.contains("\n") && !s.contains("\r") && !s.contains("\""))
        .map(Operation::of);
  }

  static Arbitrary<AccountId> accounts() {
    return text().map(AccountId::of);
  }

  static Arbitrary<Credits> credits() {
    return Arbitraries.longs().map(Credits::ofThousandths);
  }

  private static Arbitrary<Meter> meters() {
    return Arbitraries.of(Meter.values());
  }

  private static Arbitrary<Instant> instants() {
    return Arbitraries.longs().between(-62_000_000_000L, 250_000_000_000L).map(Instant::ofEpochSecond);
  }
}
