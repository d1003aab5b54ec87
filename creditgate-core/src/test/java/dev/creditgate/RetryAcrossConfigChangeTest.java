package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * A deploy may change the cost table between a call and its retry. A retry with the same key is
 * the same call: it gets its recorded answer, whatever the table says now; only a new key meets the
 * new table.
 */
class RetryAcrossConfigChangeTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId MAYA = AccountId.of("maya");
  private static final Operation VIDEO = Operation.of("generate-video");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();

  private CreditGate gate(CostTable costs) {
    return CreditGate.builder(store).costTable(costs).build();
  }

  private static CostTable withVideoAt(Credits each) {
    return CostTable.builder().fixed(VIDEO, each).build();
  }

  @Test
  void aRetriedChargeOfAnOperationSinceRemovedGetsItsRecordedAnswer() {
    CreditGate before = gate(withVideoAt(Credits.of(5)));
    before.openWallet(MAYA, ZoneOffset.UTC, T0);
    Decision charged = before.charge(MAYA, VIDEO, 1, IdempotencyKey.of("vid-1"), T0);
    assertTrue(charged.isAllowed());

    CreditGate after = gate(CostTable.builder().free(Operation.PUBLISH_UPDATE).build());
    assertEquals(charged, after.charge(MAYA, VIDEO, 1, IdempotencyKey.of("vid-1"), T0.plusSeconds(1)));
    assertEquals(Credits.of(25), after.status(MAYA, T0).available(), "charged once");
    UnknownOperationException fresh = assertThrows(UnknownOperationException.class,
        () -> after.charge(MAYA, VIDEO, 1, IdempotencyKey.of("vid-2"), T0));
    assertEquals(VIDEO, fresh.operation());
  }

  @Test
  void aRetriedReserveOfAnOperationSinceMadeFreeGetsItsRecordedAnswer() {
    CreditGate before = gate(withVideoAt(Credits.of(5)));
    before.openWallet(MAYA, ZoneOffset.UTC, T0);
    Decision held = before.reserve(MAYA, VIDEO, 1, IdempotencyKey.of("hold-1"), T0);
    assertTrue(held.isAllowed());

    CreditGate after = gate(CostTable.builder().free(VIDEO).build());
    assertEquals(held, after.reserve(MAYA, VIDEO, 1, IdempotencyKey.of("hold-1"), T0.plusSeconds(1)));
    assertEquals(Credits.of(5), after.status(MAYA, T0).held(), "held once");
    assertThrows(InvalidRequestException.class, () -> after.reserve(MAYA, VIDEO, 1, IdempotencyKey.of("hold-2"), T0));
  }

  @Test
  void aRetriedChargeOfAnOperationSinceChangedFromMeteredToFixedGetsItsRecordedAnswer() {
    CreditGate before = gate(CostTable.builder().metered(VIDEO, Credits.of(1), Credits.of(1), 1_000).build());
    before.openWallet(MAYA, ZoneOffset.UTC, T0);
    Decision charged = before.charge(MAYA, VIDEO, 0, IdempotencyKey.of("vid-0"), T0);   // the base alone
    assertTrue(charged.isAllowed());

    CreditGate after = gate(withVideoAt(Credits.of(5)));   // now fixed: a quantity of 0 is refused
    assertEquals(charged, after.charge(MAYA, VIDEO, 0, IdempotencyKey.of("vid-0"), T0.plusSeconds(1)));
    assertThrows(InvalidRequestException.class, () -> after.charge(MAYA, VIDEO, 0, IdempotencyKey.of("vid-9"), T0));
  }
}
