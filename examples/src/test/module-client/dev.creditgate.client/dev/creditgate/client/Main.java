package dev.creditgate.client;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.time.ZoneId;

/** The README's quick start, run as a named module. ModulePathClientTest checks what it prints. */
public final class Main {
  public static void main(String[] args) {
    CreditGate gate = CreditGate.inMemory();                 // in memory, the article's plans and costs
    AccountId maya = AccountId.of("maya");
    Instant now = Instant.parse("2026-03-02T08:00:00Z");
    gate.openWallet(maya, ZoneId.of("Europe/Paris"), now);

    Decision d = gate.charge(maya, Operation.AI_CHAT_MESSAGE, 2_000, IdempotencyKey.of("msg-1"), now);
    System.out.println("Charged " + d.cost() + ", " + d.balanceAfter() + " left (" + d.meter() + ")");
    System.out.println("creditgate module: " + CreditGate.class.getModule().getName());
    System.out.println("java.sql in the boot layer: " + ModuleLayer.boot().findModule("java.sql").isPresent());
  }
}
