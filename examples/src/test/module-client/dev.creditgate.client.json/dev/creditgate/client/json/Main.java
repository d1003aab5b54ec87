package dev.creditgate.client.json;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.time.ZoneOffset;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.json.JsonMapper;

/** A decision as JSON and back, run as a named module. ModulePathClientTest checks what it prints. */
public final class Main {
  public static void main(String[] args) {
    JsonMapper mapper = JsonMapper.builder().findAndAddModules().build();
    for (JacksonModule module : mapper.registeredModules()) {
      System.out.println("found " + module.getModuleName() + " in module " + module.getClass().getModule().getName());
    }

    CreditGate gate = CreditGate.inMemory();
    AccountId maya = AccountId.of("maya");
    Instant now = Instant.parse("2026-03-02T08:00:00Z");
    gate.openWallet(maya, ZoneOffset.UTC, now);
    Decision d = gate.charge(maya, Operation.AI_CHAT_MESSAGE, 2_000, IdempotencyKey.of("msg-1"), now);

    String json = mapper.writeValueAsString(d);
    System.out.println(json);
    System.out.println("read back equal: " + mapper.readValue(json, Decision.class).equals(d));
    System.out.println("shapes in the boot layer: " + ModuleLayer.boot().findModule("dev.creditgate.json").isPresent());
  }
}
