package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.Promotion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one canonical text of a {@link Request}, kept in its key's idempotency record: the format tag
 * {@value #FORMAT}, the request's type and a semicolon, then its fields length-prefixed (see
 * {@link Fields}); an optional field is {@code -} when absent and {@code +} then its value when
 * present; a list (a promotion's scope, sorted by operation id) is its count and then its elements,
 * last. For example {@code q1;charge;15:ai-chat-message4:18001:-}.
 *
 * <p>Two requests encode to equal text exactly when they are equal, and {@link #decode} reads an
 * encoding back into an equal request; it accepts nothing else. Releases after this one must read
 * what it wrote: the golden file {@code creditgate-golden/requests-v1.txt} of creditgate-testkit pins
 * every type.
 */
final class RequestCodec {
  /** The format of the requests this release writes. */
  static final String FORMAT = "q1;";
  private static final String ABSENT = "-";
  private static final String PRESENT = "+";

  /** What 0.1's free text starts with, per type; only {@link #typeOf} reads it. */
  private static final List<Legacy> LEGACY = List.of(
      new Legacy("charge ", Request.Charge.class), new Legacy("reserve ", Request.Reserve.class),
      new Legacy("capture ", Request.Capture.class), new Legacy("release ", Request.Release.class),
      new Legacy("top-up pack ", Request.TopUpPack.class), new Legacy("top-up custom ", Request.TopUpCustom.class),
      new Legacy("change plan ", Request.ChangePlan.class), new Legacy("refund pack ", Request.RefundPack.class),
      new Legacy("refund charge ", Request.RefundCharge.class), new Legacy("adjust ", Request.Adjust.class),
      new Legacy("add member ", Request.AddMember.class), new Legacy("remove member ", Request.RemoveMember.class),
      new Legacy("cap member ", Request.SetMemberCap.class));

  private record Legacy(String prefix, Class<? extends Request> type) {}

  private RequestCodec() {}

  static String encode(Request request) {
    if (request instanceof Request.Charge c) {
      return text("charge", c.operation().id(), c.quantity(), optional(c.member(), AccountId::value));
    }
    if (request instanceof Request.Reserve r) {
      return text("reserve", r.operation().id(), r.quantity(), optional(r.member(), AccountId::value));
    }
    if (request instanceof Request.Capture c) {
      return text("capture", c.hold().value(), c.quantity(), c.outcome().kind().name(), c.outcome().retryOf());
    }
    if (request instanceof Request.Release r) {
      return text("release", r.hold().value());
    }
    if (request instanceof Request.TopUpPack t) {
      return text("top-up-pack", t.packId());
    }
    if (request instanceof Request.TopUpCustom t) {
      return text("top-up-custom", t.price().minorUnits(), t.price().currency().getCurrencyCode());
    }
    if (request instanceof Request.ChangePlan c) {
      return text("change-plan", c.planId());
    }
    if (request instanceof Request.RefundPack r) {
      return text("refund-pack", r.paymentId().value(), r.credits());
    }
    if (request instanceof Request.RefundCharge r) {
      return text("refund-charge", r.chargeKey().value(), r.credits());
    }
    if (request instanceof Request.Adjust a) {
      return text("adjust", a.delta(), a.reason());
    }
    if (request instanceof Request.AddMember a) {
      return text("add-member", a.member().value());
    }
    if (request instanceof Request.RemoveMember r) {
      return text("remove-member", r.member().value());
    }
    if (request instanceof Request.SetMemberCap s) {
      return text("set-member-cap", s.member().value(), optional(s.cap(), c -> Long.toString(c.thousandths())));
    }
    if (request instanceof Request.GrantPromotion g) {
      Promotion p = g.promotion();
      List<Object> fields = new ArrayList<>(List.of(p.credits(), p.expiresAt().toString(), p.reason(), p.priority(),
          p.scope().size()));
      p.scope().forEach(operation -> fields.add(operation.id()));
      return text("grant-promotion", fields.toArray());
    }
    if (request instanceof Request.RevokePromotion r) {
      return text("revoke-promotion", r.promotion().value(), r.credits());
    }
    if (request instanceof Request.SetAutoTopUp a) {
      if (a.rule().isEmpty()) {
        return text("set-auto-top-up", ABSENT);
      }
      AutoTopUp r = a.rule().get();
      return text("set-auto-top-up", PRESENT, r.threshold(), optional(r.pack(), p -> p),
          optional(r.targetBalance(), c -> Long.toString(c.thousandths())), r.monthlyLimit().minorUnits(),
          r.monthlyLimit().currency().getCurrencyCode(), r.monthlyCount(), r.declineLimit(), r.backoff().toString());
    }
    if (request instanceof Request.DeclineAutoTopUp d) {
      return text("decline-auto-top-up", d.requestId(), d.reason());
    }
    if (request instanceof Request.ReversePack r) {
      return text("reverse-pack", r.paymentId().value());
    }
    throw new AssertionError("no encoding for " + request);
  }

  /**
   * The request {@link #encode} wrote as {@code text}.
   *
   * @throws IllegalArgumentException unless {@code text} is the encoding of a request
   */
  static Request decode(String text) {
    if (!text.startsWith(FORMAT)) {
      throw new IllegalArgumentException("request '" + text + "' is not in format " + FORMAT);
    }
    int semicolon = text.indexOf(';', FORMAT.length());
    if (semicolon < 0) {
      throw new IllegalArgumentException("request '" + text + "' names no type");
    }
    Request request;
    try {
      request = decode(text.substring(FORMAT.length(), semicolon), Fields.split(text.substring(semicolon + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("request '" + text + "' does not decode: " + e.getMessage(), e);
    }
    // Only the canonical text decodes ("+5" or "05" for 5 would not), so decoding is one-to-one.
    if (!encode(request).equals(text)) {
      throw new IllegalArgumentException("request '" + text + "' is not the canonical encoding of " + request);
    }
    return request;
  }

  /** The request of a stored text in this release's format; empty for any other text. */
  static Optional<Request> decodeIfKnown(String text) {
    if (!text.startsWith(FORMAT)) {
      return Optional.empty();
    }
    try {
      return Optional.of(decode(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether an idempotency record's stored request text is {@code request}: its encoding, or, for
   * text 0.1 wrote (untagged free text), its {@link Request#legacyText()}. The second case keeps a
   * retry across the upgrade to 0.2 answered from the record 0.1 made; it inherits 0.1's ambiguity
   * for those records only, and can be removed in 1.0 once no 0.1 record is kept.
   */
  static boolean matches(String stored, Request request) {
    if (stored.startsWith(FORMAT)) {
      return stored.equals(encode(request));
    }
    return stored.equals(request.legacyText());
  }

  /** A stored request for people to read (e.g. in an exception): decoded if known, else verbatim. */
  static String describe(String stored) {
    return decodeIfKnown(stored).map(Request::toString).orElse(stored);
  }

  /**
   * The type of the stored request: decoded, or for 0.1's free text, the type its first words name
   * (only until 1.0, like {@link #matches}); empty for any other text.
   */
  static Optional<Class<? extends Request>> typeOf(String stored) {
    if (stored.startsWith(FORMAT)) {
      return decodeIfKnown(stored).map(Request::getClass);
    }
    return LEGACY.stream().filter(l -> stored.startsWith(l.prefix())).<Class<? extends Request>>map(Legacy::type)
        .findFirst();
  }

  private static Request decode(String type, List<String> f) {
    switch (type) {
      case "charge":
        return new Request.Charge(Operation.of(f.get(0)), Long.parseLong(f.get(1)), optional(f.get(2), AccountId::of));
      case "reserve":
        return new Request.Reserve(Operation.of(f.get(0)), Long.parseLong(f.get(1)), optional(f.get(2), AccountId::of));
      case "capture":
        return new Request.Capture(IdempotencyKey.of(f.get(0)), Long.parseLong(f.get(1)),
            new Outcome(Outcome.Kind.valueOf(f.get(2)), f.get(3)));
      case "release":
        return new Request.Release(IdempotencyKey.of(f.get(0)));
      case "top-up-pack":
        return new Request.TopUpPack(f.get(0));
      case "top-up-custom":
        return new Request.TopUpCustom(new Money(Long.parseLong(f.get(0)), Currency.getInstance(f.get(1))));
      case "change-plan":
        return new Request.ChangePlan(f.get(0));
      case "refund-pack":
        return new Request.RefundPack(IdempotencyKey.of(f.get(0)), Fields.credits(f.get(1)));
      case "refund-charge":
        return new Request.RefundCharge(IdempotencyKey.of(f.get(0)), Fields.credits(f.get(1)));
      case "adjust":
        return new Request.Adjust(Fields.credits(f.get(0)), f.get(1));
      case "add-member":
        return new Request.AddMember(AccountId.of(f.get(0)));
      case "remove-member":
        return new Request.RemoveMember(AccountId.of(f.get(0)));
      case "set-member-cap":
        return new Request.SetMemberCap(AccountId.of(f.get(0)), optional(f.get(1), Fields::credits));
      case "grant-promotion": {
        int count = Integer.parseInt(f.get(4));
        if (count < 0 || f.size() != 5 + count) {
          throw new IllegalArgumentException("a scope of " + count + " operations in " + f.size() + " fields");
        }
        Set<Operation> scope = new HashSet<>();
        for (int i = 0; i < count; i++) {
          scope.add(Operation.of(f.get(5 + i)));
        }
        return new Request.GrantPromotion(new Promotion(Fields.credits(f.get(0)), Instant.parse(f.get(1)), f.get(2),
            scope, Integer.parseInt(f.get(3))));
      }
      case "revoke-promotion":
        return new Request.RevokePromotion(IdempotencyKey.of(f.get(0)), Fields.credits(f.get(1)));
      case "set-auto-top-up": {
        if (f.get(0).equals(ABSENT)) {
          return new Request.SetAutoTopUp(Optional.empty());
        }
        if (!f.get(0).equals(PRESENT)) {
          throw new IllegalArgumentException("auto top-up rule marker '" + f.get(0) + "'");
        }
        return new Request.SetAutoTopUp(Optional.of(new AutoTopUp(Fields.credits(f.get(1)), optional(f.get(2), p -> p),
            optional(f.get(3), Fields::credits), new Money(Long.parseLong(f.get(4)), Currency.getInstance(f.get(5))),
            Integer.parseInt(f.get(6)), Integer.parseInt(f.get(7)), java.time.Duration.parse(f.get(8)))));
      }
      case "decline-auto-top-up":
        return new Request.DeclineAutoTopUp(f.get(0), f.get(1));
      case "reverse-pack":
        return new Request.ReversePack(IdempotencyKey.of(f.get(0)));
      default:
        throw new IllegalArgumentException("unknown request type '" + type + "'");
    }
  }

  private static String text(String type, Object... fields) {
    return FORMAT + type + ';' + Fields.join(fields);
  }

  private static <T> String optional(Optional<T> value, Function<T, String> text) {
    return value.map(v -> PRESENT + text.apply(v)).orElse(ABSENT);
  }

  private static <T> Optional<T> optional(String field, Function<String, T> value) {
    if (field.equals(ABSENT)) {
      return Optional.empty();
    }
    if (!field.startsWith(PRESENT)) {
      throw new IllegalArgumentException("optional field '" + field + "' is neither absent nor present");
    }
    return Optional.of(value.apply(field.substring(PRESENT.length())));
  }

}
