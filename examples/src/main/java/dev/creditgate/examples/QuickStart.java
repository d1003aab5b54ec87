package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.ZoneId;

/** The README's quick start: open a wallet, ask the gate before an AI change. */
public final class QuickStart {
  public static void main(String[] args) {
    CreditGate gate = CreditGate.inMemory();                 // in memory, the article's plans and costs
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZoneId.of("Europe/Paris"));        // Free plan: 30 credits a month, from now

    Decision d = gate.charge(maya, Operation.AI_CHAT_MESSAGE, 2_000, IdempotencyKey.of("msg-1"));
    if (d instanceof Decision.Denied denied) {
      System.out.println("Out of credits; ways out: " + denied.waysOut());
    } else {
      System.out.println("Charged " + d.cost() + ", " + d.balanceAfter() + " left (" + d.meter() + ")");
    }
    // How the meter works: the cost as data (d.costBreakdown().base(), .units(), .rate(), ...) or as a sentence.
    System.out.println("How the meter got there: " + d.costBreakdown().sentence());
  }
}
