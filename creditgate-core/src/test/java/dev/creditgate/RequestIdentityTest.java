package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A repeated key is the same call exactly when its request is equal, whatever its ids hold. */
class RequestIdentityTest {
  private static final Instant T0 = GateTestKit.T0;
  private static final AccountId ACCOUNT = AccountId.of("ada");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final CreditGate gate = CreditGate.builder(store).build();

  RequestIdentityTest() {
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, T0); // 30 free credits
  }

  private static IdempotencyKey key(String value) {
    return IdempotencyKey.of(value);
  }

  private StoredWallet stored() {
    return store.load(ACCOUNT).orElseThrow();
  }

  private List<LedgerEntry> ledger() {
    return GateTestKit.ledger(store, ACCOUNT);
  }

  /**
   * 0.1 recorded both captures as "capture gen x1 RETRY gen-0 x5 SUCCEEDED ", so the second, under
   * the first's key, was answered with the first's settlement and its hold was never charged.
   */
  @Test
  void twoCapturesWhose01TextsCollideAreTwoCalls() {
    IdempotencyKey first = key("gen x1 RETRY gen-0");
    IdempotencyKey second = key("gen");
    Outcome retry = Outcome.retryOf(key("gen-0 x5 SUCCEEDED "));
    assertEquals(new Request.Capture(first, 5, Outcome.succeeded()).legacyText(),
        new Request.Capture(second, 1, retry).legacyText(), "the texts 0.1 recorded");
    gate.reserve(ACCOUNT, Operation.AI_CHAT_MESSAGE, 100_000, first, T0);
    gate.reserve(ACCOUNT, Operation.AI_CHAT_MESSAGE, 100_000, second, T0);
    HoldSettlement settled = gate.capture(ACCOUNT, first, 5, Outcome.succeeded(), key("cap"), T0);
    StoredWallet before = stored();
    int entries = ledger().size();

    IdempotencyConflictException conflict = assertThrows(IdempotencyConflictException.class,
        () -> gate.capture(ACCOUNT, second, 1, retry, key("cap"), T0));
    assertTrue(conflict.getMessage().contains("hold=gen x1 RETRY gen-0, quantity=5"), conflict.getMessage());
    assertTrue(conflict.getMessage().contains("hold=gen, quantity=1"), conflict.getMessage());
    assertEquals(before, stored(), "the refused capture wrote nothing");
    assertEquals(entries, ledger().size());

    HoldSettlement charged = gate.capture(ACCOUNT, second, 1, retry, key("cap-2"), T0);
    assertEquals("gen", charged.hold());
    assertTrue(charged.charged().isPositive(), "the second hold is charged: " + charged);
    assertNotEquals(settled, charged);
    assertEquals(Credits.of(30).minus(settled.charged()).minus(charged.charged()), charged.balanceAfter());
    assertTrue(Wallet.of(stored().state()).holds().isEmpty(), "both holds are settled");
    assertEquals(settled, gate.capture(ACCOUNT, first, 5, Outcome.succeeded(), key("cap"), T0), "the first stands");
  }

  @Test
  void aFreeChargeUnderAKeyRecordedForAnotherCallConflictsAndWritesNothing() {
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, key("k-1"), T0);
    gate.topUp(ACCOUNT, "small", key("pay-1"), T0);
    StoredWallet before = stored();
    int entries = ledger().size();

    IdempotencyConflictException conflict = assertThrows(IdempotencyConflictException.class,
        () -> gate.charge(ACCOUNT, Operation.SERVE_LIVE_APP, 1, key("k-1"), T0));
    assertTrue(conflict.getMessage().contains("'k-1'"), conflict.getMessage());
    assertTrue(conflict.getMessage().contains("operation=generate-image"), conflict.getMessage());
    assertTrue(conflict.getMessage().contains("operation=serve-live-app"), conflict.getMessage());
    assertThrows(IdempotencyConflictException.class,
        () -> gate.charge(ACCOUNT, Operation.VIEW_DATA, 3, key("pay-1"), T0));
    assertEquals(before, stored());
    assertEquals(entries, ledger().size());
  }

  @Test
  void aFreeChargeRecordsNothingSoItsKeyStaysFree() {
    Decision free = gate.charge(ACCOUNT, Operation.PUBLISH_UPDATE, 1, key("k-1"), T0);
    assertTrue(free.isAllowed());
    assertEquals(free, gate.charge(ACCOUNT, Operation.PUBLISH_UPDATE, 1, key("k-1"), T0));
    assertTrue(store.findRecord(ACCOUNT, key("k-1")).isEmpty());
    Decision paid = gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, key("k-1"), T0);
    assertEquals(Credits.of(2), paid.cost(), "the key was never taken by the free call");
  }

  /** An operation made free after it was charged: repeating the charge returns what it took then. */
  @Test
  void aFreeChargeRepeatingAPaidOneReturnsItsFirstResult() {
    Operation export = Operation.of("export-video");
    CreditGate paying = CreditGate.builder(store)
        .costTable(CostTable.defaults().toBuilder().fixed(export, Credits.of(3)).build()).build();
    CreditGate free = CreditGate.builder(store)
        .costTable(CostTable.defaults().toBuilder().free(export).build()).build();
    Decision first = paying.charge(ACCOUNT, export, 1, key("k-1"), T0);
    StoredWallet before = stored();

    assertEquals(first, free.charge(ACCOUNT, export, 1, key("k-1"), T0));
    assertEquals(Credits.of(3), free.charge(ACCOUNT, export, 1, key("k-1"), T0).cost());
    assertThrows(IdempotencyConflictException.class, () -> free.charge(ACCOUNT, export, 2, key("k-1"), T0));
    assertEquals(Credits.ZERO, free.charge(ACCOUNT, export, 1, key("k-2"), T0).cost());
    assertEquals(before, stored());
  }

  @Test
  void aConflictNamesBothRequestsReadably() {
    gate.charge(ACCOUNT, Operation.AI_CHAT_MESSAGE, 1_800, key("msg-1"), T0);
    IdempotencyConflictException conflict = assertThrows(IdempotencyConflictException.class,
        () -> gate.charge(ACCOUNT, Operation.AI_CHAT_MESSAGE, 2_000, key("msg-1"), T0));
    assertEquals("idempotency key 'msg-1' was first used for "
        + "[Charge[operation=ai-chat-message, quantity=1800, member=Optional.empty]] and cannot be reused for "
        + "[Charge[operation=ai-chat-message, quantity=2000, member=Optional.empty]]", conflict.getMessage());
  }

  @Test
  void aRefundOfAKeyUsedForAnythingButAChargeOrCaptureNamesThatCall() {
    gate.topUp(ACCOUNT, "small", key("pay-1"), T0);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> gate.refundCharge(ACCOUNT, key("pay-1"), Credits.of(1), key("r-1"), T0));
    assertTrue(e.getMessage().contains("[TopUpPack[packId=small]]"), e.getMessage());
    assertFalse(e.getMessage().contains(RequestCodec.FORMAT), e.getMessage());
  }

  @Test
  void aRefundOfACaptureTakesWhatTheCaptureCharged() {
    gate.reserve(ACCOUNT, Operation.GENERATE_IMAGE, 1, key("h-1"), T0);
    gate.capture(ACCOUNT, key("h-1"), 1, Outcome.succeeded(), key("cap-1"), T0);
    assertThrows(InvalidRequestException.class,
        () -> gate.refundCharge(ACCOUNT, key("cap-1"), Credits.parse("2.001"), key("r-1"), T0));
    BalanceChange refund = gate.refundCharge(ACCOUNT, key("cap-1"), Credits.of(2), key("r-2"), T0);
    assertEquals(Credits.of(30), refund.balanceAfter());
  }
}
