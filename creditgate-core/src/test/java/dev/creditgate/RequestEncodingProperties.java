package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.statistics.Statistics;

/**
 * A request's encoding is its identity: a repeated key is answered from its record exactly when the
 * new request encodes to the recorded text. So the encoding must be one-to-one, even for ids made of
 * the characters 0.1's free text used as separators.
 */
class RequestEncodingProperties {

  @Property(tries = 1000)
  void equalEncodingsIffEqualRequests(@ForAll("pairs") Tuple2<Request, Request> pair) {
    Request a = pair.get1();
    Request b = pair.get2();
    boolean equal = a.equals(b);
    Statistics.label("requests").collect(equal ? "equal" : "different");
    assertEquals(equal, RequestCodec.encode(a).equals(RequestCodec.encode(b)), () -> a + " and " + b);
    assertEquals(equal, RequestCodec.matches(RequestCodec.encode(a), b), () -> a + " matched by " + b);
    Statistics.label("requests").coverage(c -> {
      c.check("equal").count(n -> n > 0);
      c.check("different").count(n -> n > 0);
    });
  }

  @Property(tries = 1000)
  void everyRequestDecodesToItself(@ForAll("requests") Request request) {
    String text = RequestCodec.encode(request);
    assertTrue(text.startsWith(RequestCodec.FORMAT), text);
    assertEquals(request, RequestCodec.decode(text));
    assertEquals(Optional.of(request), RequestCodec.decodeIfKnown(text));
    assertEquals(Optional.of(request.getClass()), RequestCodec.typeOf(text));
  }

  /** Any text that decodes at all is the canonical encoding of what it decodes to. */
  @Property(tries = 1000)
  void onlyCanonicalTextDecodes(@ForAll("requests") Request request, @ForAll("edits") Tuple2<Integer, String> edit) {
    String text = RequestCodec.encode(request);
    int at = Math.min(edit.get1(), text.length());
    String edited = edit.get2().isEmpty() && at < text.length()
        ? text.substring(0, at) + text.substring(at + 1)
        : text.substring(0, at) + edit.get2() + text.substring(at);
    Optional<Request> decoded = RequestCodec.decodeIfKnown(edited);
    Statistics.label("edited text").collect(decoded.isPresent() ? "decodes" : "refused");
    decoded.ifPresent(r -> assertEquals(edited, RequestCodec.encode(r), "decoded to " + r));
  }

  /** The pairs 0.1 could not tell apart: their old texts are equal, their encodings are not. */
  @Property(tries = 200)
  void requestsWhose01TextsCollideEncodeApart(@ForAll("collisions") Tuple2<Request, Request> pair) {
    Request a = pair.get1();
    Request b = pair.get2();
    assertEquals(a.legacyText(), b.legacyText());
    assertNotEquals(a, b);
    assertNotEquals(RequestCodec.encode(a), RequestCodec.encode(b));
    assertTrue(RequestCodec.matches(a.legacyText(), b), "a record 0.1 wrote still answers its old text");
  }

  // ---------------------------------------------------------------------------------------------

  /** Ids that 0.1's free text could not delimit, and any other text an id may hold. */
  private static final Arbitrary<String> ADVERSARIAL = Arbitraries.oneOf(ReceiptsPropertiesTest.text(),
      Arbitraries.of("a x1", "a x1 by b", " by ", "x1", "1:a", "0:", "-", "+", "+a", "q1;", "q1;charge;1:a",
          "SUCCEEDED ", "RETRY a", "none", "a;b", "ä✓😀"));
  private static final Arbitrary<Long> NUMBERS = Arbitraries.oneOf(Arbitraries.longs(),
      Arbitraries.of(0L, 1L, 10L, 11L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
  /** A domain so small that two requests drawn from it are often equal. */
  private static final Arbitrary<String> FEW_IDS = Arbitraries.of("a", "a x1");
  private static final Arbitrary<Long> FEW_NUMBERS = Arbitraries.of(1L, 11L);

  @Provide
  Arbitrary<Request> requests() {
    return Arbitraries.oneOf(byType(ADVERSARIAL, NUMBERS));
  }

  @Provide
  Arbitrary<Tuple2<Request, Request>> pairs() {
    List<Arbitrary<Request>> few = byType(FEW_IDS, FEW_NUMBERS);
    Arbitrary<Tuple2<Request, Request>> sameType = Arbitraries.integers().between(0, few.size() - 1)
        .flatMap(i -> Combinators.combine(few.get(i), few.get(i)).as(Tuple::of));
    return Arbitraries.oneOf(sameType, Combinators.combine(requests(), requests()).as(Tuple::of),
        requests().map(r -> Tuple.of(r, r)), collisions());
  }

  @Provide
  Arbitrary<Tuple2<Integer, String>> edits() {
    return Combinators.combine(Arbitraries.integers().between(0, 60),
        Arbitraries.of("", "0", "1", ":", ";", "+", "-", "1:x", "q", "a1;")).as(Tuple::of);
  }

  /** Two different requests of one type with equal 0.1 text, built from any ids and numbers. */
  @Provide
  Arbitrary<Tuple2<Request, Request>> collisions() {
    Arbitrary<String> ids = ReceiptsPropertiesTest.text()
        .filter(s -> !s.contains(",") && !s.contains("\n") && !s.contains("\r") && !s.contains("\"")
            && s.length() <= 30);
    Arbitrary<Long> quantities = Arbitraries.longs().between(0, 1_000_000);
    // capture <h> x<n> RETRY <r> x<m> SUCCEEDED  ==  capture <h x<n> RETRY <r>> x<m> SUCCEEDED
    Arbitrary<Tuple2<Request, Request>> captures = Combinators.combine(ids, ids, quantities, quantities)
        .as((h, r, n, m) -> Tuple.of(
            (Request) new Request.Capture(IdempotencyKey.of(h + " x" + n + " RETRY " + r), m, Outcome.succeeded()),
            (Request) new Request.Capture(IdempotencyKey.of(h), n,
                new Outcome(Outcome.Kind.RETRY, r + " x" + m + " SUCCEEDED "))));
    // charge <op x<n> by <b>> x<m>  ==  charge <op> x<n> by <b x<m>>
    Arbitrary<Tuple2<Request, Request>> charges = Combinators.combine(ids, ids, quantities, quantities)
        .as((op, b, n, m) -> Tuple.of(
            (Request) new Request.Charge(Operation.of(op + " x" + n + " by " + b), m, Optional.empty()),
            (Request) new Request.Charge(Operation.of(op), n, Optional.of(AccountId.of(b + " x" + m)))));
    // The texts of the other types end in a number or a fixed word, or hold a single id: no collision.
    return Arbitraries.oneOf(captures, charges);
  }

  /** One arbitrary per request type, every field drawn from {@code ids} and {@code numbers}. */
  static List<Arbitrary<Request>> byType(Arbitrary<String> ids, Arbitrary<Long> numbers) {
    Arbitrary<Operation> operations = ids
        .filter(s -> s.length() <= 100 && !s.contains(",") && !s.contains("\n") && !s.contains("\r") && !s.contains("\""))
        .map(Operation::of);
    Arbitrary<AccountId> accounts = ids.map(AccountId::of);
    Arbitrary<Optional<AccountId>> members = Arbitraries.oneOf(Arbitraries.just(Optional.empty()),
        accounts.map(Optional::of));
    Arbitrary<IdempotencyKey> keys = ids.map(IdempotencyKey::of);
    Arbitrary<Credits> credits = numbers.map(Credits::ofThousandths);
    Arbitrary<Outcome> outcomes = Arbitraries.oneOf(
        Arbitraries.of(Outcome.succeeded(), Outcome.failedAtModel(), Outcome.platformError()),
        keys.map(Outcome::retryOf));
    // A price is never negative: Money refuses it.
    Arbitrary<Long> amounts = numbers.map(Math::abs).filter(n -> n >= 0);
    Arbitrary<Money> prices = Combinators.combine(amounts, Arbitraries.of("USD", "EUR", "JPY").map(Currency::getInstance))
        .as(Money::new);
    return List.of(
        widen(Combinators.combine(operations, numbers, members).as(Request.Charge::new)),
        widen(Combinators.combine(operations, numbers, members).as(Request.Reserve::new)),
        widen(Combinators.combine(keys, numbers, outcomes).as(Request.Capture::new)),
        widen(keys.map(Request.Release::new)),
        widen(ids.map(Request.TopUpPack::new)),
        widen(prices.map(Request.TopUpCustom::new)),
        widen(ids.map(Request.ChangePlan::new)),
        widen(Combinators.combine(keys, credits).as(Request.RefundPack::new)),
        widen(Combinators.combine(keys, credits).as(Request.RefundCharge::new)),
        widen(Combinators.combine(credits, ids).as(Request.Adjust::new)),
        widen(accounts.map(Request.AddMember::new)),
        widen(accounts.map(Request.RemoveMember::new)),
        widen(Combinators.combine(accounts, Arbitraries.oneOf(Arbitraries.just(Optional.<Credits>empty()),
            credits.map(Optional::of))).as(Request.SetMemberCap::new)));
  }

  private static Arbitrary<Request> widen(Arbitrary<? extends Request> requests) {
    return requests.map(r -> (Request) r);
  }
}
