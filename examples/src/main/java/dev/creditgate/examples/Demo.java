package dev.creditgate.examples;

import dev.creditgate.store.memory.InMemoryWalletStore;

import dev.creditgate.BalanceChange;
import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.PlanChange;
import dev.creditgate.TopUp;
import dev.creditgate.WalletStatus;
import dev.creditgate.WaysOut;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The help article "Out of credits: what now?" told in the terminal, on the in-memory store.
 * Run it with {@code mvn -q -f examples/pom.xml exec:java}.
 */
public final class Demo {
  private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy").withZone(ZONE);

  private final PrintStream out;
  private final AccountId account = AccountId.of("maya");
  private final CreditGate gate;
  private Instant now = Instant.parse("2026-03-02T08:00:00Z");
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, String> promotions = new HashMap<>();
  private int keys;

  Demo(PrintStream out) {
    this.out = out;
    this.gate = CreditGate.builder(InMemoryWalletStore.create()).warnBeforeExpiry(Duration.ofDays(2))
        .eventSink((id, event) -> onEvent(event)).build();
  }

  public static void main(String[] args) {
    new Demo(System.out).run();
  }

  void run() {
    out.println("creditgate demo: \"Out of credits: what now?\"");
    out.println();
    gate.openWallet(account, ZONE, now);
    BalanceChange welcome = gate.grantPromotion(account, Credits.of(10), now.plus(Duration.ofDays(4)),
        "welcome bonus", IdempotencyKey.of("welcome:maya"), now);
    promotions.put(welcome.grant(), "welcome bonus");
    step("Maya opens a Free account, with a welcome bonus of 10 credits for four days");

    chat("asks for a to-do app (a feature, ~100k tokens)", 100_000);
    chat("asks for a calendar view (a feature, ~100k tokens)", 100_000);
    charge("generates an app icon", Operation.GENERATE_IMAGE, 1);
    chat("asks for drag and drop (~50k tokens)", 50_000);
    out.println("  forecast: " + RunwayForecast.sentence(gate.forecast(account, now), ZONE, Locale.UK));
    chat("tweaks colours and copy (~26k tokens)", 26_000);

    out.println();
    out.println("She asks for one more AI change:");
    Decision denied = gate.charge(account, Operation.AI_CHAT_MESSAGE, 20_000, key(), now);
    show(denied);

    out.println();
    out.println("What she can still do with zero credits:");
    for (Operation free : new Operation[] {Operation.SERVE_LIVE_APP, Operation.PUBLISH_UPDATE,
        Operation.EXPORT_DATA, Operation.SHARE_APP}) {
      Decision d = gate.charge(account, free, 1, key(), now);
      out.printf("  %-16s %s (cost %s)%n", free.id(), d.isAllowed() ? "allowed" : "DENIED", d.cost());
    }

    out.println();
    now = now.plus(Duration.ofHours(1));
    TopUp topUp = gate.topUp(account, "small", IdempotencyKey.of("pay_1QX7"), now);
    TopUp again = gate.topUp(account, "small", IdempotencyKey.of("pay_1QX7"), now);
    out.printf("Option 1: she tops up with a Small pack: +%s credits (the payment webhook arrives twice; "
        + "granted %s)%n", topUp.credits(), again.equals(topUp) ? "once" : "TWICE");
    step("after the top-up");
    chat("goes on: adds a login page (~80k tokens)", 80_000);

    out.println();
    now = gate.status(account, now).nextRenewal().plus(Duration.ofMinutes(1));
    step("Option 3: a month later her renewal date has passed: subscription credits refreshed, packs kept");
    out.println("  advice: " + gate.advice(account, now).sentence());

    out.println();
    out.println("A busy second month: she builds a booking flow, a feature (~100k tokens) a day:");
    int built = 0;
    Decision last;
    do {
      now = now.plus(Duration.ofDays(1));
      last = gate.charge(account, Operation.AI_CHAT_MESSAGE, 100_000, key(), now);
      built += last.isAllowed() ? 1 : 0;
    } while (last.isAllowed());
    out.printf("  %d features allowed, then the %s one is denied%n", built, ordinal(built + 1));
    out.println("  " + bar(gate.status(account, now)));
    warnings.forEach(out::println);
    warnings.clear();
    show(last);
    chat("spends her last credits on a small tweak (~6k tokens)", 6_000);
    out.println("  advice: " + gate.advice(account, now).sentence());

    out.println();
    PlanChange upgrade = gate.changePlan(account, "pro", key(), now);
    out.printf("Option 2: she upgrades from %s to %s; effective %s%n", upgrade.from(), upgrade.to(),
        upgrade.immediate() ? "immediately" : "at renewal");
    step("after the upgrade: the Pro bundle is there at once");
  }

  private static String ordinal(int n) {
    return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    });
  }

  private void chat(String what, long tokens) {
    charge(what, Operation.AI_CHAT_MESSAGE, tokens);
  }

  /** One request a day: the forecast measures her pace. */
  private void charge(String what, Operation operation, long quantity) {
    now = now.plus(Duration.ofDays(1));
    Decision d = gate.charge(account, operation, quantity, key(), now);
    out.printf("Maya %s: %s, cost %s%n", what, d.isAllowed() ? "allowed" : "denied", d.cost());
    out.println("  " + bar(gate.status(account, now)));
    warnings.forEach(out::println);
    warnings.clear();
  }

  private void show(Decision decision) {
    if (decision instanceof Decision.Denied denied) {
      out.printf("  DENIED: it costs %s, she has %s (short by %s). Three ways out:%n", denied.cost(),
          denied.balanceBefore(), denied.shortfall());
      WaysOut ways = denied.waysOut();
      ways.topUp().smallestPack().ifPresent(p -> out.printf(
          "  1. Top up: the %s pack, %s for %s credits (or a Custom pack from %s)%n", p.name(),
          p.price(), p.credits(), ways.topUp().customPrice().map(Object::toString).orElse("-")));
      ways.upgrade().ifPresent(u -> out.printf("  2. Upgrade: %s at %s/month with %s credits a month%n",
          u.plan().name(), u.price(), u.monthlyCredits()));
      out.printf("  3. Wait: %s credits arrive on %s%n", ways.renewal().credits(),
          DATE.format(ways.renewal().renewsAt()));
      ways.recommended().ifPresent(advice -> out.println("  Recommended: " + advice.sentence()));
    } else {
      out.println("  allowed");
    }
  }

  private void step(String what) {
    out.println(what + ":");
    out.println("  " + bar(gate.status(account, now)));
  }

  private void onEvent(WalletEvent event) {
    if (event instanceof WalletEvent.ThresholdCrossed crossed) {
      warnings.add(String.format("  ! warning: the balance (%s) is at or under %d%% of %s",
          crossed.available(), crossed.percent(), crossed.reference()));
    } else if (event instanceof WalletEvent.PromotionExpiring expiring) {
      warnings.add(String.format("  ! warning: %s credits of her %s expire on %s", expiring.credits(),
          reason(expiring.grant()), DATE.format(expiring.expiresAt())));
    } else if (event instanceof WalletEvent.PromotionExpired expired) {
      warnings.add(String.format("  ! %s unused credits of her %s expired", expired.credits(),
          reason(expired.grant())));
    }
  }

  /** What Maya calls a grant: the promotions the demo granted, by their grant name. */
  private String reason(String grant) {
    return promotions.getOrDefault(grant, grant);
  }

  /** A text meter: {@code [#######.............] 9.8 of 30  subscription 9.8 + packs 0  OK}. */
  static String bar(WalletStatus s) {
    int width = 30;
    long total = Math.max(1, s.reference().thousandths());
    int filled = (int) Math.min(width, Math.max(0, s.available().thousandths() * width / total));
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + s.available() + " of "
        + s.reference() + "  (" + s.plan() + ": subscription " + s.subscription() + " + packs "
        + s.packs() + ")  " + s.meter();
  }

  private IdempotencyKey key() {
    return IdempotencyKey.of("demo-" + (++keys));
  }
}
