package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.ledger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Payment reversals (docs/model.md, "Payment reversals"): what remains of the pack is taken back,
 * what was spent from it becomes debt (repaid at once from the subscription and pack credits,
 * else from the next grant), refunds are not owed twice, holds are cut back, and a pack is
 * reversed once.
 */
class ReversalsTest {
  private static final AccountId MAYA = AccountId.of("maya");
  private static final Duration MONTH = Duration.ofDays(31);

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();
  private final CreditGate gate = CreditGate.builder(store).eventSink(sink).build();

  private static IdempotencyKey key(String value) {
    return IdempotencyKey.of(value);
  }

  private static Credits c(String text) {
    return Credits.parse(text);
  }

  /** The entries written with {@code key}: kind, grant name and amount, in order. */
  private List<String> entries(String key) {
    return ledger(store, MAYA).stream().filter(e -> e.key().equals(key))
        .map(e -> e.kind() + " " + e.grant() + " " + e.amount()).collect(Collectors.toList());
  }

  /** Opens Maya on Free (30 credits), tops up a Small pack (100) and spends {@code spend} credits. */
  private void openAndSpend(long integrations) {
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    gate.topUp(MAYA, "small", key("pi_1"), T0.plusSeconds(10));
    if (integrations > 0) {
      assertTrue(gate.charge(MAYA, Operation.CONNECT_INTEGRATION, integrations, key("spend"), T0.plusSeconds(20))
          .isAllowed());
    }
  }

  @Test
  void whatRemainsIsTakenBackAndWhatWasSpentBecomesDebt() {
    openAndSpend(10); // 50: the 30 subscription credits, then 20 of the pack
    BalanceChange reversed = gate.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30));
    assertEquals(new BalanceChange("pack:pi_1", Credits.of(-100), Credits.of(-20), reversed.meter()), reversed);
    assertEquals(List.of("REVERSAL pack:pi_1 -80", "REVERSAL overdraft -20"), entries("cb-1"));
    WalletStatus status = gate.status(MAYA, T0.plusSeconds(40));
    assertEquals(Credits.of(20), status.debt());
    assertEquals(Credits.ZERO, status.packs());
    assertEquals(List.of(new WalletEvent.PackReversed(MAYA, T0.plusSeconds(30), "pack:pi_1", Credits.of(80),
        Credits.of(20))), sink.of(WalletEvent.PackReversed.class));
    assertTrue(gate.replay(MAYA).isConsistent());
    // The debt is repaid first from the next grant.
    TopUp next = gate.topUp(MAYA, "small", key("pi_2"), T0.plusSeconds(50));
    assertEquals(Credits.of(80), next.balanceAfter());
  }

  @Test
  void whatWasSpentIsRepaidAtOnceFromTheSubscriptionAndOtherPacksInTheSpendOrder() {
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
    gate.topUp(MAYA, "small", key("pi_1"), T0.plusSeconds(10));
    gate.topUp(MAYA, "small", key("pi_2"), T0.plusSeconds(11));
    gate.charge(MAYA, Operation.CONNECT_INTEGRATION, 10, key("spend"), T0.plusSeconds(20)); // 30 sub, 20 of pi_1
    Instant renewed = T0.plus(MONTH); // 30 fresh subscription credits
    gate.reversePack(MAYA, key("pi_1"), key("cb-1"), renewed);
    assertEquals(List.of("REVERSAL pack:pi_1 -80", "REVERSAL overdraft -20",
        "ADJUSTMENT subscription -20", "ADJUSTMENT overdraft 20"), entries("cb-1"));
    WalletStatus status = gate.status(MAYA, renewed);
    assertEquals(List.of(Credits.of(10), Credits.ZERO, Credits.of(100)),
        List.of(status.subscription(), status.debt(), status.packs()));

    // Under PACKS_FIRST the other packs repay first.
    InMemoryWalletStore other = InMemoryWalletStore.create();
    CreditGate packsFirst = CreditGate.builder(other).spendOrder(SpendOrder.PACKS_FIRST).build();
    packsFirst.openWallet(MAYA, ZoneOffset.UTC, T0);
    packsFirst.topUp(MAYA, "small", key("pi_1"), T0.plusSeconds(10));
    packsFirst.topUp(MAYA, "small", key("pi_2"), T0.plusSeconds(11));
    packsFirst.charge(MAYA, Operation.CONNECT_INTEGRATION, 4, key("spend"), T0.plusSeconds(20)); // 20 of pi_1
    packsFirst.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30));
    assertEquals(List.of("REVERSAL pack:pi_1 -80", "REVERSAL overdraft -20", "ADJUSTMENT pack:pi_2 -20",
        "ADJUSTMENT overdraft 20"), ledger(other, MAYA).stream().filter(e -> e.key().equals("cb-1"))
        .map(e -> e.kind() + " " + e.grant() + " " + e.amount()).collect(Collectors.toList()));
    assertEquals(List.of(Credits.of(30), Credits.of(80)), List.of(packsFirst.status(MAYA, T0.plusSeconds(30))
        .subscription(), packsFirst.status(MAYA, T0.plusSeconds(30)).packs()));
  }

  @Test
  void aPackNotSpentAtAllOwesNothingAndOneSpentByOneThousandthOwesOneThousandth() {
    openAndSpend(6); // exactly the 30 subscription credits
    gate.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30));
    assertEquals(List.of("REVERSAL pack:pi_1 -100"), entries("cb-1"));
    assertEquals(Credits.ZERO, gate.status(MAYA, T0.plusSeconds(30)).debt());

    CreditGate other = CreditGate.inMemory();
    other.openWallet(MAYA, ZoneOffset.UTC, T0);
    other.topUp(MAYA, "small", key("pi_1"), T0.plusSeconds(10));
    other.adjust(MAYA, c("-30.001"), "spend exactly one thousandth of the pack", key("adj"), T0.plusSeconds(20));
    other.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30));
    WalletStatus status = other.status(MAYA, T0.plusSeconds(30));
    assertEquals(List.of(c("0.001"), c("-0.001")), List.of(status.debt(), status.balance()));
  }

  @Test
  void aPackSpentOutIsOwedWholeFromItsTopUpsRecord() {
    openAndSpend(26); // 130: 30 subscription and all 100 of the pack
    assertEquals(Credits.ZERO, gate.status(MAYA, T0.plusSeconds(25)).packs());
    BalanceChange reversed = gate.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30));
    assertEquals(List.of(Credits.of(-100), Credits.of(-100)), List.of(reversed.amount(), reversed.balanceAfter()));
    assertEquals(List.of("REVERSAL overdraft -100"), entries("cb-1"));
  }

  @Test
  void creditsRefundedBeforeAreNotOwedAgain() {
    openAndSpend(10); // 20 of the pack
    gate.refundPack(MAYA, key("pi_1"), Credits.of(10), key("refund-1"), T0.plusSeconds(25));
    BalanceChange reversed = gate.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30));
    assertEquals(Credits.of(-90), reversed.amount(), "70 remaining and 20 spent; the 10 refunded are not owed");
    assertEquals(List.of("REVERSAL pack:pi_1 -70", "REVERSAL overdraft -20"), entries("cb-1"));
    // A pack refunded to its last credit and then reversed takes nothing and owes only what was spent.
    CreditGate other = CreditGate.inMemory();
    other.openWallet(MAYA, ZoneOffset.UTC, T0);
    other.topUp(MAYA, "small", key("pi_1"), T0.plusSeconds(10));
    other.refundPack(MAYA, key("pi_1"), Credits.of(100), key("refund-1"), T0.plusSeconds(25));
    assertEquals(Credits.ZERO, other.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30)).amount());
    assertEquals(Credits.of(30), other.status(MAYA, T0.plusSeconds(30)).balance());
  }

  @Test
  void theSameKeyAnswersTheFirstResultAndAnotherKeyIsRefusedChangingNothing() {
    openAndSpend(10);
    BalanceChange first = gate.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30));
    int entries = ledger(store, MAYA).size();
    String state = store.load(MAYA).orElseThrow().state().encoded();
    assertEquals(first, gate.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(40)));
    InvalidRequestException again = assertThrows(InvalidRequestException.class,
        () -> gate.reversePack(MAYA, key("pi_1"), key("cb-2"), T0.plusSeconds(50)));
    assertTrue(again.getMessage().contains("'pi_1' was already reversed"), again.getMessage());
    assertEquals(List.of("paymentId", "pi_1"), List.of(again.argument().orElseThrow(), again.value().orElseThrow()));
    assertEquals(entries, ledger(store, MAYA).size());
    assertEquals(state, store.load(MAYA).orElseThrow().state().encoded());
    assertThrows(InvalidRequestException.class,
        () -> gate.refundPack(MAYA, key("pi_1"), c("0.001"), key("refund-late"), T0.plusSeconds(60)),
        "nothing of a reversed pack is left to refund");
    assertEquals(1, sink.of(WalletEvent.PackReversed.class).size());
  }

  @Test
  void anUnknownPaymentIsRefusedNamingItAndChangesNothing() {
    openAndSpend(0);
    String state = store.load(MAYA).orElseThrow().state().encoded();
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> gate.reversePack(MAYA, key("pi_9"), key("cb-1"), T0.plusSeconds(30)));
    assertTrue(e.getMessage().contains("'pi_9'"), e.getMessage());
    // A key used for something else than a top-up is not a pack either.
    gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 1000, key("msg-1"), T0.plusSeconds(31));
    state = store.load(MAYA).orElseThrow().state().encoded();
    assertThrows(InvalidRequestException.class,
        () -> gate.reversePack(MAYA, key("msg-1"), key("cb-2"), T0.plusSeconds(32)));
    assertEquals(state, store.load(MAYA).orElseThrow().state().encoded());
    assertFalse(store.findRecord(MAYA, key("cb-2")).isPresent(), "a refused call records no key");
  }

  @Test
  void holdsOnTheReversedCreditsAreCutBackAndTheirCaptureCreatesNoCredits() {
    openAndSpend(6); // the subscription spent: only the pack's 100 are left
    assertTrue(gate.reserve(MAYA, Operation.CONNECT_INTEGRATION, 12, key("h1"), T0.plusSeconds(20)).isAllowed());
    gate.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30));
    assertEquals(List.of("REVERSAL pack:pi_1 -100", "RELEASE h1 -60"), entries("cb-1"));
    WalletStatus status = gate.status(MAYA, T0.plusSeconds(30));
    assertEquals(List.of(Credits.ZERO, Credits.ZERO, Credits.ZERO), List.of(status.balance(), status.held(),
        status.debt()));
    // The hold is gone with the credits it reserved: capturing it cannot spend what is not there.
    assertThrows(CreditGateException.class, () -> gate.capture(MAYA, key("h1"), 12, Outcome.succeeded(),
        key("cap"), T0.plusSeconds(40)));
    assertEquals(Credits.ZERO, gate.status(MAYA, T0.plusSeconds(40)).balance());

    // A hold cut back in part captures at most what the wallet holds beside it.
    CreditGate other = CreditGate.builder(InMemoryWalletStore.create()).overdraft(OverdraftPolicy.NONE).build();
    other.openWallet(MAYA, ZoneOffset.UTC, T0);
    other.topUp(MAYA, "small", key("pi_1"), T0.plusSeconds(10));
    other.reserve(MAYA, Operation.CONNECT_INTEGRATION, 10, key("h1"), T0.plusSeconds(20)); // 50 held
    other.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30)); // 30 left, the hold cut to 30
    assertEquals(Credits.of(30), other.status(MAYA, T0.plusSeconds(30)).held());
    HoldSettlement s = other.capture(MAYA, key("h1"), 10, Outcome.succeeded(), key("cap"), T0.plusSeconds(40));
    assertEquals(Credits.of(30), s.charged());
    assertEquals(Credits.ZERO, other.status(MAYA, T0.plusSeconds(40)).balance());
  }

  @Test
  void promotionalCreditsNeverRepayWhatAReversalOwes() {
    openAndSpend(10);
    gate.grantPromotion(MAYA, Credits.of(15), T0.plus(Duration.ofDays(7)), "welcome", key("welcome"),
        T0.plusSeconds(25));
    gate.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plusSeconds(30));
    WalletStatus status = gate.status(MAYA, T0.plusSeconds(30));
    assertEquals(List.of(Credits.of(20), Credits.of(15), Credits.of(-5)),
        List.of(status.debt(), status.promotions().get(0).remaining(), status.balance()));
    assertTrue(gate.replay(MAYA).isConsistent());
  }

  @Test
  void aReversalAppliesADueRenewalFirstAndIsItsOwnKindInTheLedger() {
    openAndSpend(10);
    gate.reversePack(MAYA, key("pi_1"), key("cb-1"), T0.plus(MONTH));
    // The renewal's 30 credits come first, so the 20 owed are repaid from them at once.
    assertEquals(Credits.of(10), gate.status(MAYA, T0.plus(MONTH)).subscription());
    assertTrue(ledger(store, MAYA).stream().anyMatch(e -> e.kind() == LedgerEntry.Kind.REVERSAL
        && e.grant().equals("pack:pi_1") && e.operation().equals("reversal")));
  }
}
