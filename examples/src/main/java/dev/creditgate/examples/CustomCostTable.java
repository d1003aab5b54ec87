package dev.creditgate.examples;

import dev.creditgate.store.memory.InMemoryWalletStore;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneOffset;

/** A host's own prices: from a properties file it ships, or in code on top of the defaults. */
public final class CustomCostTable {
  /** What a host would ship as {@code costs.properties}. */
  static final String COSTS = """
      ai-chat-message    = metered 0.2 + 0.08 per 1000
      generate-image     = 3
      generate-video     = 25
      publish-update     = free
      serve-live-app     = free
      """;

  public static void main(String[] args) {
    CostTable fromFile = CostTable.fromProperties(new StringReader(COSTS));
    CostTable inCode = CostTable.defaults().toBuilder()
        .fixed(Operation.of("generate-video"), Credits.of(25))
        .free(Operation.of("comment"))
        .build();

    CreditGate gate = CreditGate.builder(InMemoryWalletStore.create()).costTable(fromFile).build();
    AccountId account = AccountId.of("studio-7");
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    gate.openWallet(account, ZoneOffset.UTC, now);

    Decision video = gate.check(account, Operation.of("generate-video"), 1, now);
    Decision chat = gate.check(account, Operation.AI_CHAT_MESSAGE, 12_500, now);
    System.out.println("generate-video costs " + video.cost() + ", allowed: " + video.isAllowed());
    System.out.println("a 12.5k-token message costs " + chat.cost());
    System.out.println("in code, comment is " + inCode.costOf(Operation.of("comment")));
  }
}
