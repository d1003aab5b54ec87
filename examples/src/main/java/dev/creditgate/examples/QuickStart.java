package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.time.ZoneId;

/** The README's quick start: open a wallet, ask the gate before an AI change. */
public final class QuickStart {
  public static void main(String[] args) {
    CreditGate gate = CreditGate.inMemory();          // in memory, the article's plans and costs
    AccountId maya = AccountId.of("maya");
    Instant now = Instant.parse("2026-03-02T08:00:00Z");      // pass Instant.now() in a service
    gate.openWallet(maya, ZoneId.of("Europe/Paris"), now);    // Free plan: 30 credits a month

    Decision d = gate.charge(maya, Operation.AI_CHAT_MESSAGE, 2_000, IdempotencyKey.of("msg-1"), now);
    if (d instanceof Decision.Denied denied) {
      System.out.println("Out of credits; ways out: " + denied.waysOut());
    } else {
      System.out.println("Charged " + d.cost() + ", " + d.balanceAfter() + " left (" + d.meter() + ")");
    }
  }
}
