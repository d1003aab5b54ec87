package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Money;
import java.util.Currency;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a {@link WalletEvent} in a store's outbox: the format tag {@value #FORMAT}, the
 * event's type and a semicolon, then its fields length-prefixed (see {@link Fields}); instants in
 * their ISO form (exact to the nanosecond), credits in thousandths; a list (a promotion's scope)
 * as its count and then its elements, last. 0.4 added the types {@code promotion-granted},
 * {@code promotion-expired}, {@code balance-below}, {@code credits-depleted} and
 * {@code promotion-expiring} to {@code e1}, and then {@code auto-top-up-requested},
 * {@code auto-top-up-refused} and {@code auto-top-up-disabled} (money as minor units and the
 * currency's code) and {@code pack-reversed}: the fields of the types before them are unchanged.
 * For example
 * {@code e1;threshold-crossed;4:maya20:2026-03-02T08:00:00Z2:205:60006:30000}.
 *
 * <p>{@link #decode} reads an encoding back into an equal event and accepts nothing else: a text
 * with missing fields fails to decode, and one with extra or non-canonical fields is not what the
 * decoded event encodes to. Releases
 * after this one must read what it wrote: the golden file {@code creditgate-golden/events-v1.txt}
 * of creditgate-testkit pins every type. Stateless.
 */
final class EventCodec {
  /** The format of the events this release writes. */
  static final String FORMAT = "e1;";

  private EventCodec() {}

  static String encode(WalletEvent event) {
    if (event instanceof WalletEvent.ThresholdCrossed t) {
      return text("threshold-crossed", t.account().value(), t.at(), t.percent(), t.available(), t.reference());
    }
    if (event instanceof WalletEvent.CreditsGranted g) {
      return text("credits-granted", g.account().value(), g.at(), g.grant(), g.credits());
    }
    if (event instanceof WalletEvent.SubscriptionRenewed r) {
      return text("subscription-renewed", r.account().value(), r.at(), r.plan(), r.credits(), r.nextRenewal());
    }
    if (event instanceof WalletEvent.SubscriptionCreditsExpired e) {
      return text("subscription-credits-expired", e.account().value(), e.at(), e.credits());
    }
    if (event instanceof WalletEvent.PlanChanged p) {
      return text("plan-changed", p.account().value(), p.at(), p.from(), p.to(), p.effectiveAt());
    }
    if (event instanceof WalletEvent.MemberAdded m) {
      return text("member-added", m.account().value(), m.at(), m.member().value());
    }
    if (event instanceof WalletEvent.MemberRemoved m) {
      return text("member-removed", m.account().value(), m.at(), m.member().value());
    }
    if (event instanceof WalletEvent.PromotionGranted g) {
      List<Object> fields = new ArrayList<>(List.of(g.account().value(), g.at(), g.grant(), g.credits(), g.expiresAt(),
          g.reason(), g.priority(), g.scope().size()));
      g.scope().forEach(operation -> fields.add(operation.id()));
      return text("promotion-granted", fields.toArray());
    }
    if (event instanceof WalletEvent.PromotionExpired e) {
      return text("promotion-expired", e.account().value(), e.at(), e.grant(), e.credits());
    }
    if (event instanceof WalletEvent.BalanceBelow b) {
      return text("balance-below", b.account().value(), b.at(), b.threshold(), b.available());
    }
    if (event instanceof WalletEvent.CreditsDepleted d) {
      return text("credits-depleted", d.account().value(), d.at(), d.available());
    }
    if (event instanceof WalletEvent.PromotionExpiring e) {
      return text("promotion-expiring", e.account().value(), e.at(), e.grant(), e.credits(), e.expiresAt());
    }
    if (event instanceof WalletEvent.AutoTopUpRequested r) {
      return text("auto-top-up-requested", r.account().value(), r.at(), r.request(), r.pack(), r.credits(),
          r.price().minorUnits(), r.price().currency().getCurrencyCode());
    }
    if (event instanceof WalletEvent.AutoTopUpRefused r) {
      return text("auto-top-up-refused", r.account().value(), r.at(), r.limit().name(), r.price().minorUnits(),
          r.price().currency().getCurrencyCode(), r.requests(), r.requested().minorUnits(),
          r.requested().currency().getCurrencyCode());
    }
    if (event instanceof WalletEvent.AutoTopUpDisabled d) {
      return text("auto-top-up-disabled", d.account().value(), d.at(), d.declines(), d.reason());
    }
    if (event instanceof WalletEvent.PackReversed r) {
      return text("pack-reversed", r.account().value(), r.at(), r.grant(), r.takenBack(), r.owed());
    }
    throw new AssertionError("no encoding for " + event);
  }

  /**
   * The event {@link #encode} wrote as {@code text}.
   *
   * @throws IllegalArgumentException unless {@code text} is the encoding of an event
   */
  static WalletEvent decode(String text) {
    if (!text.startsWith(FORMAT)) {
      throw new IllegalArgumentException("event '" + text + "' is not in format " + FORMAT);
    }
    int semicolon = text.indexOf(';', FORMAT.length());
    if (semicolon < 0) {
      throw new IllegalArgumentException("event '" + text + "' names no type");
    }
    WalletEvent event;
    try {
      event = decode(text.substring(FORMAT.length(), semicolon), Fields.split(text.substring(semicolon + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("event '" + text + "' does not decode: " + e.getMessage(), e);
    }
    if (!encode(event).equals(text)) {
      throw new IllegalArgumentException("event '" + text + "' is not the canonical encoding of " + event);
    }
    return event;
  }

  private static WalletEvent decode(String type, List<String> f) {
    AccountId account = AccountId.of(f.get(0));
    Instant at = Instant.parse(f.get(1));
    switch (type) {
      case "threshold-crossed":
        return new WalletEvent.ThresholdCrossed(account, at, Integer.parseInt(f.get(2)), Fields.credits(f.get(3)),
            Fields.credits(f.get(4)));
      case "credits-granted":
        return new WalletEvent.CreditsGranted(account, at, f.get(2), Fields.credits(f.get(3)));
      case "subscription-renewed":
        return new WalletEvent.SubscriptionRenewed(account, at, f.get(2), Fields.credits(f.get(3)),
            Instant.parse(f.get(4)));
      case "subscription-credits-expired":
        return new WalletEvent.SubscriptionCreditsExpired(account, at, Fields.credits(f.get(2)));
      case "plan-changed":
        return new WalletEvent.PlanChanged(account, at, f.get(2), f.get(3), Instant.parse(f.get(4)));
      case "member-added":
        return new WalletEvent.MemberAdded(account, at, AccountId.of(f.get(2)));
      case "member-removed":
        return new WalletEvent.MemberRemoved(account, at, AccountId.of(f.get(2)));
      case "promotion-granted": {
        int count = Integer.parseInt(f.get(7));
        if (count < 0 || f.size() != 8 + count) {
          throw new IllegalArgumentException("a scope of " + count + " operations in " + f.size() + " fields");
        }
        List<Operation> scope = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          scope.add(Operation.of(f.get(8 + i)));
        }
        return new WalletEvent.PromotionGranted(account, at, f.get(2), Fields.credits(f.get(3)),
            Instant.parse(f.get(4)), f.get(5), scope, Integer.parseInt(f.get(6)));
      }
      case "promotion-expired":
        return new WalletEvent.PromotionExpired(account, at, f.get(2), Fields.credits(f.get(3)));
      case "balance-below":
        return new WalletEvent.BalanceBelow(account, at, Fields.credits(f.get(2)), Fields.credits(f.get(3)));
      case "credits-depleted":
        return new WalletEvent.CreditsDepleted(account, at, Fields.credits(f.get(2)));
      case "promotion-expiring":
        return new WalletEvent.PromotionExpiring(account, at, f.get(2), Fields.credits(f.get(3)),
            Instant.parse(f.get(4)));
      case "auto-top-up-requested":
        return new WalletEvent.AutoTopUpRequested(account, at, f.get(2), f.get(3), Fields.credits(f.get(4)),
            money(f.get(5), f.get(6)));
      case "auto-top-up-refused":
        return new WalletEvent.AutoTopUpRefused(account, at, AutoTopUp.Limit.valueOf(f.get(2)), money(f.get(3), f.get(4)),
            Integer.parseInt(f.get(5)), money(f.get(6), f.get(7)));
      case "auto-top-up-disabled":
        return new WalletEvent.AutoTopUpDisabled(account, at, Integer.parseInt(f.get(2)), f.get(3));
      case "pack-reversed":
        return new WalletEvent.PackReversed(account, at, f.get(2), Fields.credits(f.get(3)), Fields.credits(f.get(4)));
      default:
        throw new IllegalArgumentException("unknown event type '" + type + "'");
    }
  }


  private static Money money(String minorUnits, String currency) {
    return new Money(Long.parseLong(minorUnits), Currency.getInstance(currency));
  }

  private static String text(String type, Object... fields) {
    return FORMAT + type + ";" + Fields.join(fields);
  }
}
