package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.WalletStatus;
import dev.creditgate.jackson.CreditGateModule;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's answers as JSON, with creditgate-jackson (Jackson 3, as Spring Boot 4 uses it): a
 * decision, a denial with its ways out, the wallet for the balance widget, and events for a
 * webhook, each read back equal. With Jackson 2, creditgate-jackson2 writes the same JSON.
 */
public final class JsonAnswers {

  /** What a host's HTTP handler returns for a charge: its own fields beside creditgate's values. */
  record ChargeResponse(String requestId, Decision decision, WalletStatus wallet) {}

  /** What a host's webhook posts per event: the id to deduplicate by, and the event. */
  record EventMessage(EventId id, WalletEvent event) {}

  public static void main(String[] args) {
    // findAndAddModules() finds CreditGateModule through META-INF/services (or the module's provides
    // clause); under Spring Boot, a CreditGateModule bean does the same.
    JsonMapper mapper = JsonMapper.builder().findAndAddModules().build();
    System.out.println("module found: "
        + mapper.registeredModules().stream().anyMatch(m -> m instanceof CreditGateModule));

    List<String> webhook = new ArrayList<>();
    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create())
        .eventSink((id, event) -> webhook.add(mapper.writeValueAsString(new EventMessage(id, event))))
        .build();
    AccountId maya = AccountId.of("maya");
    Instant now = Instant.parse("2026-03-01T09:00:00Z");
    gate.openWallet(maya, ZoneOffset.UTC, now);

    Decision chat = gate.charge(maya, Operation.AI_CHAT_MESSAGE, 1_800, IdempotencyKey.of("msg-1"), now);
    System.out.println("allowed: " + mapper.writeValueAsString(chat));

    gate.adjust(maya, Credits.parse("-29"), "example: almost empty", IdempotencyKey.of("setup"), now);
    Decision image = gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), now);
    String denied = mapper.writeValueAsString(image);
    System.out.println("denied: " + denied);

    ChargeResponse response = new ChargeResponse("req-7", image, gate.status(maya, now));
    String body = mapper.writeValueAsString(response);
    System.out.println("response: " + body);

    // A client of the service (or a queued job) reads the same JSON back to equal values.
    Decision read = mapper.readValue(denied, Decision.class);
    System.out.println("denial read back equal: " + read.equals(image)
        + ", response read back equal: " + mapper.readValue(body, ChargeResponse.class).equals(response));
    if (read instanceof Decision.Denied d) {
      System.out.println("top up with: " + d.waysOut().topUp().smallestPack().orElseThrow().name()
          + ", or wait until " + d.waysOut().renewal().renewsAt());
    }

    gate.deliverPendingEvents(100);
    webhook.forEach(message -> System.out.println("webhook: " + message));
  }
}
