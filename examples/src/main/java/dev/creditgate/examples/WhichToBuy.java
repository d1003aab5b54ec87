package dev.creditgate.examples;

import dev.creditgate.Advice;
import dev.creditgate.CreditGate;
import dev.creditgate.PeriodSummary;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * "Credit packs vs subscriptions: which to buy when": the gate's one recommendation, with its
 * reason and numbers, for two accounts: one that keeps running out, one that will fall a little
 * short of its renewal.
 */
public final class WhichToBuy {
  private static int keys;

  private static IdempotencyKey key() {
    return IdempotencyKey.of("k-" + keys++);
  }

  /** What a UI shows: the recommendation, and for an upgrade the months behind it. */
  static String render(Advice advice) {
    StringBuilder text = new StringBuilder(advice.way() + ": " + advice.sentence());
    if (advice instanceof Advice.Upgrade up) {
      for (PeriodSummary p : up.periods()) {
        text.append("\n  from ").append(p.start()).append(": spent ").append(p.spent())
            .append(p.ranOut() ? ", ran out" : "")
            .append(p.packsPaid().map(paid -> ", " + paid + " in packs").orElse(""));
      }
    }
    return text.toString();
  }

  public static void main(String[] args) {
    CreditGate gate = CreditGate.inMemory();

    // Maya, on Free: she runs out in January, and in February again, buying a Small and a Medium pack.
    AccountId maya = AccountId.of("maya");
    Instant jan1 = Instant.parse("2026-01-01T00:00:00Z");
    gate.openWallet(maya, ZoneOffset.UTC, jan1);
    gate.charge(maya, Operation.GENERATE_IMAGE, 15, key(), Instant.parse("2026-01-11T00:00:00Z"));
    gate.charge(maya, Operation.GENERATE_IMAGE, 15, key(), Instant.parse("2026-02-04T00:00:00Z"));
    gate.topUp(maya, "small", key(), Instant.parse("2026-02-05T00:00:00Z"));
    gate.topUp(maya, "medium", key(), Instant.parse("2026-02-21T00:00:00Z"));
    System.out.println("maya, 5 March: " + render(gate.advice(maya, Instant.parse("2026-03-05T00:00:00Z"))));

    // Noor, on Pro from 19 February: 10 credits a day from 1 March leaves her 30 short of the 19th.
    AccountId noor = AccountId.of("noor");
    Instant feb19 = Instant.parse("2026-02-19T00:00:00Z");
    gate.openWallet(noor, ZoneOffset.UTC, feb19);
    gate.changePlan(noor, "pro", key(), feb19);
    for (int day = 0; day < 3; day++) {
      gate.charge(noor, Operation.GENERATE_IMAGE, 5, key(), Instant.parse("2026-03-01T00:00:00Z").plus(Duration.ofDays(day)));
    }
    System.out.println("noor, 4 March: " + render(gate.advice(noor, Instant.parse("2026-03-04T00:00:00Z"))));
    System.out.println("noor, on 18 March, having spent nothing since the 3rd: " + render(gate.advice(noor,
        Instant.parse("2026-03-04T00:00:00Z").plus(Duration.ofDays(14)))));
  }
}
