package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.Promotion;
import java.util.Objects;
import java.util.Optional;

/**
 * What a mutation was asked to do: its arguments but for the account, the key and the time. A key
 * is recorded with its request's {@link RequestCodec encoding}; a repeat of the key is the same call
 * exactly when it is an equal request. Immutable values, equal by their fields.
 */
sealed interface Request {

  /**
   * The text 0.1 recorded for this request. It is ambiguous (ids may contain its spaces) and is
   * only compared with records 0.1 wrote, so that they are still answered after an upgrade; it can
   * go in 1.0 together with that comparison ({@link RequestCodec#matches}).
   */
  String legacyText();

  record Charge(Operation operation, long quantity, Optional<AccountId> member) implements Request {
    public Charge {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(member, "member");
    }

    @Override
    public String legacyText() {
      return "charge " + operation.id() + " x" + quantity + member.map(m -> " by " + m).orElse("");
    }
  }

  record Reserve(Operation operation, long quantity, Optional<AccountId> member) implements Request {
    public Reserve {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(member, "member");
    }

    @Override
    public String legacyText() {
      return "reserve " + operation.id() + " x" + quantity + member.map(m -> " by " + m).orElse("");
    }
  }

  record Capture(IdempotencyKey hold, long quantity, Outcome outcome) implements Request {
    public Capture {
      Objects.requireNonNull(hold, "hold");
      Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public String legacyText() {
      return "capture " + hold.value() + " x" + quantity + " " + outcome.kind() + " " + outcome.retryOf();
    }
  }

  record Release(IdempotencyKey hold) implements Request {
    public Release {
      Objects.requireNonNull(hold, "hold");
    }

    @Override
    public String legacyText() {
      return "release " + hold.value();
    }
  }

  record TopUpPack(String packId) implements Request {
    public TopUpPack {
      Objects.requireNonNull(packId, "packId");
    }

    @Override
    public String legacyText() {
      return "top-up pack " + packId;
    }
  }

  record TopUpCustom(Money price) implements Request {
    public TopUpCustom {
      Objects.requireNonNull(price, "price");
    }

    @Override
    public String legacyText() {
      return "top-up custom " + price.minorUnits() + " " + price.currency();
    }
  }

  record ChangePlan(String planId) implements Request {
    public ChangePlan {
      Objects.requireNonNull(planId, "planId");
    }

    @Override
    public String legacyText() {
      return "change plan " + planId;
    }
  }

  record RefundPack(IdempotencyKey paymentId, Credits credits) implements Request {
    public RefundPack {
      Objects.requireNonNull(paymentId, "paymentId");
      Objects.requireNonNull(credits, "credits");
    }

    @Override
    public String legacyText() {
      return "refund pack " + paymentId.value() + " " + credits.thousandths();
    }
  }

  record ReversePack(IdempotencyKey paymentId) implements Request {
    public ReversePack {
      Objects.requireNonNull(paymentId, "paymentId");
    }

    @Override
    public String legacyText() {
      return RequestCodec.encode(this);
    }
  }

  record RefundCharge(IdempotencyKey chargeKey, Credits credits) implements Request {
    public RefundCharge {
      Objects.requireNonNull(chargeKey, "chargeKey");
      Objects.requireNonNull(credits, "credits");
    }

    @Override
    public String legacyText() {
      return "refund charge " + chargeKey.value() + " " + credits.thousandths();
    }
  }

  record Adjust(Credits delta, String reason) implements Request {
    public Adjust {
      Objects.requireNonNull(delta, "delta");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String legacyText() {
      return "adjust " + delta.thousandths() + " " + reason;
    }
  }

  record AddMember(AccountId member) implements Request {
    public AddMember {
      Objects.requireNonNull(member, "member");
    }

    @Override
    public String legacyText() {
      return "add member " + member.value();
    }
  }

  record RemoveMember(AccountId member) implements Request {
    public RemoveMember {
      Objects.requireNonNull(member, "member");
    }

    @Override
    public String legacyText() {
      return "remove member " + member.value();
    }
  }

  record SetMemberCap(AccountId member, Optional<Credits> cap) implements Request {
    public SetMemberCap {
      Objects.requireNonNull(member, "member");
      Objects.requireNonNull(cap, "cap");
    }

    @Override
    public String legacyText() {
      return "cap member " + member.value() + " " + cap.map(c -> Long.toString(c.thousandths())).orElse("none");
    }
  }

  /** A promotional grant; new in 0.4, so 0.1 never recorded it. */
  record GrantPromotion(Promotion promotion) implements Request {
    public GrantPromotion {
      Objects.requireNonNull(promotion, "promotion");
    }

    @Override
    public String legacyText() {
      return RequestCodec.encode(this);
    }
  }

  /** Credits taken back from a promotional grant; new in 0.4, so 0.1 never recorded it. */
  record RevokePromotion(IdempotencyKey promotion, Credits credits) implements Request {
    public RevokePromotion {
      Objects.requireNonNull(promotion, "promotion");
      Objects.requireNonNull(credits, "credits");
    }

    @Override
    public String legacyText() {
      return RequestCodec.encode(this);
    }
  }

  /** Auto top-up set (a rule) or turned off (empty); new in 0.4, so 0.1 never recorded it. */
  record SetAutoTopUp(Optional<AutoTopUp> rule) implements Request {
    public SetAutoTopUp {
      Objects.requireNonNull(rule, "rule");
    }

    @Override
    public String legacyText() {
      return RequestCodec.encode(this);
    }
  }

  /** An auto top-up request declined; new in 0.4, so 0.1 never recorded it. */
  record DeclineAutoTopUp(String requestId, String reason) implements Request {
    public DeclineAutoTopUp {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String legacyText() {
      return RequestCodec.encode(this);
    }
  }
}
