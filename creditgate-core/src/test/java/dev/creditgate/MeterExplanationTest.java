package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.CostBreakdown;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.WalletState;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * "How the meter works": every decision and settlement explains its cost at the terms it was
 * priced at, and a repeated call answers the same explanation, from the object or from the text a
 * database keeps, even after the cost table changed.
 */
class MeterExplanationTest {
  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  private static IdempotencyKey key(String k) {
    return IdempotencyKey.of(k);
  }

  @Test
  void aChargeExplainsItsCostAndItsRepeatFromTheStoredTextExplainsTheSame() {
    TextOnlyStore store = new TextOnlyStore(InMemoryWalletStore.create());
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    Decision charged = gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 2_000, key("msg-1"), T0);
    assertEquals("0.1 base + 2 x 0.1 per 1,000 tokens = 0.3 credits", charged.costBreakdown().sentence());
    assertEquals(charged.cost(), charged.costBreakdown().total());
    Decision repeated = gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 2_000, key("msg-1"), T0.plusSeconds(5));
    assertEquals(charged, repeated);
    assertEquals(charged.costBreakdown(), repeated.costBreakdown());
  }

  @Test
  void aRepeatAfterTheCostTableChangedExplainsTheTermsTheFirstCallPaid() {
    InMemoryWalletStore memory = InMemoryWalletStore.create();
    TextOnlyStore store = new TextOnlyStore(memory);
    CreditGate before = CreditGate.builder(store).build();
    before.openWallet(MAYA, ZoneOffset.UTC, T0);
    Decision first = before.charge(MAYA, Operation.GENERATE_IMAGE, 2, key("img-1"), T0);
    CreditGate after = CreditGate.builder(store).costTable(CostTable.defaults().toBuilder()
        .fixed(Operation.GENERATE_IMAGE, Credits.of(3)).build()).build();
    Decision repeated = after.charge(MAYA, Operation.GENERATE_IMAGE, 2, key("img-1"), T0);
    assertEquals("2 x 2 credits = 4 credits", repeated.costBreakdown().sentence());
    assertEquals(first, repeated);
    assertEquals("2 x 3 credits = 6 credits",
        after.check(MAYA, Operation.GENERATE_IMAGE, 2, T0).costBreakdown().sentence(), "a new call: today's terms");
  }

  @Test
  void aDenialExplainsTheCostItRefused() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    Decision denied = gate.charge(MAYA, Operation.GENERATE_IMAGE, 16, key("img-1"), T0);
    Decision.Denied d = assertInstanceOf(Decision.Denied.class, denied);
    assertEquals("16 x 2 credits = 32 credits", d.costBreakdown().sentence());
    assertEquals(CostBreakdown.Kind.FIXED, d.costBreakdown().kind());
  }

  @Test
  void aFreeOperationExplainsItselfAsFree() {
    CreditGate gate = CreditGate.inMemory();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    Decision free = gate.check(MAYA, Operation.PUBLISH_UPDATE, 1, T0);
    assertEquals(CostBreakdown.Kind.FREE, free.costBreakdown().kind());
    assertEquals("free: 0 credits", free.costBreakdown().sentence());
  }

  @Test
  void aCaptureExplainsTheOutcomesShareAndAReleaseChargesNothing() {
    TextOnlyStore store = new TextOnlyStore(InMemoryWalletStore.create());
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    Decision held = gate.reserve(MAYA, Operation.AI_CHAT_MESSAGE, 10_000, key("gen-1"), T0);
    assertEquals("0.1 base + 10 x 0.1 per 1,000 tokens = 1.1 credits", held.costBreakdown().sentence());
    HoldSettlement captured = gate.capture(MAYA, key("gen-1"), 1_801, Outcome.failedAtModel(), key("gen-1-end"), T0);
    CostBreakdown b = captured.costBreakdown();
    assertEquals(5_000, b.share());
    assertEquals(captured.metered(), b.metered());
    assertEquals(captured.due(), b.total());
    assertEquals("(0.1 base + 1.801 x 0.1 per 1,000 tokens = 0.281 credits (rounded up to the credit unit, 0.001))"
        + " x 50% = 0.141 credits (rounded up to the credit unit, 0.001)", b.sentence());
    assertEquals(captured, gate.capture(MAYA, key("gen-1"), 1_801, Outcome.failedAtModel(), key("gen-1-end"), T0),
        "the repeat, from the stored text");

    gate.reserve(MAYA, Operation.GENERATE_IMAGE, 1, key("gen-2"), T0);
    HoldSettlement released = gate.release(MAYA, key("gen-2"), key("gen-2-end"), T0);
    assertEquals(CostBreakdown.Kind.FREE, released.costBreakdown().kind());
    assertEquals(Credits.ZERO, released.costBreakdown().total());
    assertEquals(released, gate.release(MAYA, key("gen-2"), key("gen-2-end"), T0));
  }

  /** A store as a database is: it keeps the text of wallets and answers, never the objects. */
  static final class TextOnlyStore extends ForwardingWalletStore {
    TextOnlyStore(WalletStore store) {
      super(store);
    }

    @Override
    public boolean commit(Commit commit) {
      List<IdempotencyRecord> records = commit.records().stream()
          .map(r -> new IdempotencyRecord(r.key(), r.request(), r.result(), r.at())).toList();
      return super.commit(new Commit(commit.account(), commit.expectedVersion(),
          WalletState.ofEncoded(commit.state().encoded()), commit.entries(), records, commit.events(),
          commit.nextHoldExpiry()));
    }

    /** None: every commit comes through {@link #commit}, where the text is made. */
    @Override
    public Optional<WalletTransaction> transaction() {
      return Optional.empty();
    }
  }
}
