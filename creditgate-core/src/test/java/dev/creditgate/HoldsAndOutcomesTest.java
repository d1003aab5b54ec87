package dev.creditgate;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.OutcomePolicy;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HoldsAndOutcomesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final AccountId ACCOUNT = AccountId.of("ada");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final CreditGate gate = CreditGate.builder(store).holdTimeToLive(Duration.ofMinutes(10)).build();

  private void open() {
    gate.openWallet(ACCOUNT, ZoneOffset.UTC, T0); // 30 free credits
  }

  private static IdempotencyKey key(String k) {
    return IdempotencyKey.of(k);
  }

  private Credits available() {
    return gate.status(ACCOUNT, T0.plusSeconds(1)).available();
  }

  private StoredWallet stored() {
    return store.load(ACCOUNT).orElseThrow();
  }

  private List<LedgerEntry> ledger() {
    List<LedgerEntry> entries = new ArrayList<>();
    try (Stream<LedgerEntry> read = store.readLedger(ACCOUNT, Instant.MIN, Instant.MAX)) {
      read.forEachOrdered(entries::add);
    }
    return entries;
  }

  @Test
  void heldCreditsAreNotSpendableByAnythingElse() {
    open();
    // 100k tokens = 10.1 credits each; two holds leave 9.8 available
    assertTrue(gate.reserve(ACCOUNT, Operation.AI_CHAT_MESSAGE, 100_000, key("h1"), T0).isAllowed());
    assertTrue(gate.reserve(ACCOUNT, Operation.AI_CHAT_MESSAGE, 100_000, key("h2"), T0).isAllowed());
    assertEquals(Credits.parse("9.8"), available());
    Decision denied = gate.charge(ACCOUNT, Operation.AI_CHAT_MESSAGE, 100_000, key("c1"), T0);
    assertInstanceOf(Decision.Denied.class, denied);
    assertEquals(Credits.parse("0.3"), ((Decision.Denied) denied).shortfall());
    assertEquals(Credits.of(30), gate.status(ACCOUNT, T0).subscription(), "a hold takes nothing yet");
  }

  @Test
  void capturingLessThanHeldReturnsTheRemainderAtOnce() {
    open();
    gate.reserve(ACCOUNT, Operation.AI_CHAT_MESSAGE, 100_000, key("h1"), T0); // holds 10.1
    HoldSettlement s = gate.capture(ACCOUNT, key("h1"), 20_000, Outcome.succeeded(), key("cap1"), T0);
    assertEquals(Credits.parse("2.1"), s.charged());
    assertEquals(Credits.parse("27.9"), s.balanceAfter());
    assertEquals(Credits.parse("27.9"), available());
    assertTrue(Wallet.of(stored().state()).holds().isEmpty());
  }

  @Test
  void capturingMoreThanHeldTakesTheDifferenceFromAvailableCredits() {
    open();
    gate.reserve(ACCOUNT, Operation.AI_CHAT_MESSAGE, 20_000, key("h1"), T0); // holds 2.1
    HoldSettlement s = gate.capture(ACCOUNT, key("h1"), 50_000, Outcome.succeeded(), key("cap1"), T0);
    assertEquals(Credits.parse("5.1"), s.charged());
    assertFalse(s.isShort());
    assertEquals(Credits.parse("24.9"), available());
  }

  @Test
  void captureBeyondWhatTheWalletCoversChargesWhatTheOverdraftPolicyAllowsAndSaysSo() {
    open();
    gate.reserve(ACCOUNT, Operation.AI_CHAT_MESSAGE, 100_000, key("h1"), T0); // 10.1 held, 19.9 free
    HoldSettlement s = gate.capture(ACCOUNT, key("h1"), 400_000, Outcome.succeeded(), key("cap1"), T0);
    assertEquals(Credits.parse("40.1"), s.due());
    assertEquals(Credits.of(30), s.charged());
    assertTrue(s.isShort());
    assertEquals(Credits.ZERO, available());
  }

  @Test
  void aHoldIsResolvedAtMostOnce() {
    open();
    gate.reserve(ACCOUNT, Operation.GENERATE_IMAGE, 1, key("h1"), T0);
    HoldSettlement first = gate.capture(ACCOUNT, key("h1"), 1, Outcome.succeeded(), key("cap1"), T0);
    assertEquals(first, gate.capture(ACCOUNT, key("h1"), 1, Outcome.succeeded(), key("cap1"), T0),
        "the same key returns the first result");
    StoredWallet before = stored();
    assertThrows(HoldStateException.class,
        () -> gate.capture(ACCOUNT, key("h1"), 1, Outcome.succeeded(), key("cap2"), T0));
    assertThrows(HoldStateException.class, () -> gate.release(ACCOUNT, key("h1"), key("rel1"), T0));
    assertEquals(before, stored());
  }

  @Test
  void captureAfterReleaseIsATypedErrorThatNamesTheHoldAndChangesNothing() {
    open();
    gate.reserve(ACCOUNT, Operation.GENERATE_IMAGE, 1, key("h1"), T0);
    gate.release(ACCOUNT, key("h1"), key("rel1"), T0);
    StoredWallet before = stored();
    int entries = ledger().size();
    HoldStateException e = assertThrows(HoldStateException.class,
        () -> gate.capture(ACCOUNT, key("h1"), 1, Outcome.succeeded(), key("cap1"), T0));
    assertTrue(e.getMessage().contains("'h1'"), e.getMessage());
    assertEquals(before, stored());
    assertEquals(entries, ledger().size());
    assertEquals(Credits.of(30), available());
  }

  @Test
  void aHoldExpiresLazilyAfterItsTimeToLiveAndItsCreditsReturn() {
    open();
    gate.reserve(ACCOUNT, Operation.CONNECT_INTEGRATION, 1, key("h1"), T0);
    assertEquals(Credits.of(25), gate.status(ACCOUNT, T0.plus(Duration.ofMinutes(9))).available());
    assertEquals(Credits.of(30), gate.status(ACCOUNT, T0.plus(Duration.ofMinutes(10))).available());
    assertThrows(HoldStateException.class, () -> gate.capture(ACCOUNT, key("h1"), 1, Outcome.succeeded(),
        key("cap1"), T0.plus(Duration.ofMinutes(11))));
  }

  @Test
  void theSweepExpiresHoldsInTheStoreAndRecordsTheRelease() {
    open();
    gate.reserve(ACCOUNT, Operation.CONNECT_INTEGRATION, 1, key("h1"), T0);
    assertEquals(0, gate.expireHolds(T0.plus(Duration.ofMinutes(5))));
    assertEquals(1, gate.expireHolds(T0.plus(Duration.ofMinutes(10))));
    assertTrue(Wallet.of(stored().state()).holds().isEmpty());
    LedgerEntry last = ledger().get(ledger().size() - 1);
    assertEquals(LedgerEntry.Kind.RELEASE, last.kind());
    assertEquals(Credits.of(-5), last.amount());
    assertTrue(gate.replay(ACCOUNT).isConsistent());
  }

  @ParameterizedTest(name = "{0}: metered {1} -> charged {2}")
  @CsvSource({
      "SUCCEEDED,       10.1,  10.1",
      "FAILED_AT_MODEL, 10.1,  5.05",
      "PLATFORM_ERROR,  10.1,  2.525",
      "RETRY,           10.1,  5.05",
      "PLATFORM_ERROR,  0.101, 0.026",
  })
  void eachOutcomeClassChargesItsShareOfTheMeteredCost(Outcome.Kind kind, String metered, String charged) {
    Outcome outcome = kind == Outcome.Kind.RETRY ? Outcome.retryOf(key("first")) : new Outcome(kind, "");
    assertEquals(Credits.parse(charged), OutcomePolicy.defaults().charge(outcome, Credits.parse(metered)));
  }

  @Test
  void theFloorKeepsAnErrorFromDroppingToZero() {
    OutcomePolicy generous = OutcomePolicy.builder()
        .share(Outcome.Kind.SUCCEEDED, 10_000).share(Outcome.Kind.FAILED_AT_MODEL, 1_000)
        .share(Outcome.Kind.PLATFORM_ERROR, 1_000).share(Outcome.Kind.RETRY, 1_000)
        .floor(1_000).build();
    assertEquals(Credits.parse("1.01"), generous.charge(Outcome.platformError(), Credits.parse("10.1")));
    // the smallest metered cost is still charged one credit unit
    assertEquals(Credits.parse("0.001"), generous.charge(Outcome.platformError(), Credits.parse("0.001")));
    assertEquals(Credits.ZERO, generous.charge(Outcome.platformError(), Credits.ZERO));
  }

  @Test
  void aShareBelowTheFloorIsRejectedNamingTheShare() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () ->
        OutcomePolicy.defaults().toBuilder().share(Outcome.Kind.PLATFORM_ERROR, 500).build());
    assertTrue(e.getMessage().contains("PLATFORM_ERROR") && e.getMessage().contains("500"), e.getMessage());
  }

  @Test
  void aFailedGenerationAndItsRetryEachChargeWhatThePolicySays() {
    open();
    gate.reserve(ACCOUNT, Operation.AI_CHAT_MESSAGE, 40_000, key("attempt-1"), T0); // 4.1 held
    HoldSettlement failed = gate.capture(ACCOUNT, key("attempt-1"), 40_000, Outcome.failedAtModel(),
        key("attempt-1-done"), T0);
    assertEquals(Credits.parse("2.05"), failed.charged());
    gate.reserve(ACCOUNT, Operation.AI_CHAT_MESSAGE, 40_000, key("attempt-2"), T0);
    HoldSettlement retried = gate.capture(ACCOUNT, key("attempt-2"), 40_000,
        Outcome.retryOf(key("attempt-1")), key("attempt-2-done"), T0);
    assertEquals(Credits.parse("2.05"), retried.charged());
    assertEquals(Credits.parse("25.9"), available());
    assertTrue(gate.replay(ACCOUNT).isConsistent());
  }

  @Test
  void aRetryMustNameTheAttemptItRetries() {
    assertThrows(InvalidRequestException.class, () -> new Outcome(Outcome.Kind.RETRY, ""));
    assertThrows(InvalidRequestException.class, () -> new Outcome(Outcome.Kind.SUCCEEDED, "x"));
  }

  @Test
  void aChargeCanBeRefundedInPartsButNeverBeyondWhatWasCharged() {
    open();
    gate.charge(ACCOUNT, Operation.AI_CHAT_MESSAGE, 100_000, key("c1"), T0); // 10.1
    gate.refundCharge(ACCOUNT, key("c1"), Credits.of(6), key("r1"), T0);
    StoredWallet before = stored();
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> gate.refundCharge(ACCOUNT, key("c1"), Credits.parse("4.2"), key("r2"), T0));
    assertTrue(e.getMessage().contains("4.2") && e.getMessage().contains("4.1"), e.getMessage());
    assertEquals(before, stored());
    gate.refundCharge(ACCOUNT, key("c1"), Credits.parse("4.1"), key("r3"), T0);
    assertEquals(Credits.of(30), available());
    assertTrue(gate.replay(ACCOUNT).isConsistent());
  }

  @Test
  void aPackPurchaseCanBeRefundedUpToWhatRemainsOfIt() {
    open();
    gate.topUp(ACCOUNT, "small", key("pay-1"), T0);
    gate.adjust(ACCOUNT, Credits.of(-30), "test: spend the subscription", key("a1"), T0);
    gate.charge(ACCOUNT, Operation.CONNECT_INTEGRATION, 2, key("c1"), T0); // 10 from the pack
    StoredWallet before = stored();
    assertThrows(InvalidRequestException.class,
        () -> gate.refundPack(ACCOUNT, key("pay-1"), Credits.of(91), key("r1"), T0));
    assertEquals(before, stored());
    BalanceChange refund = gate.refundPack(ACCOUNT, key("pay-1"), Credits.of(90), key("r2"), T0);
    assertEquals(Credits.of(-90), refund.amount());
    assertEquals(Credits.ZERO, available());
    assertTrue(gate.replay(ACCOUNT).isConsistent());
  }

  @Test
  void ledgerExportsAsCsvAndJsonLinesWithExactAmounts() {
    open();
    gate.charge(ACCOUNT, Operation.AI_CHAT_MESSAGE, 2_000, key("tweak, \"quoted\""), T0.plusSeconds(60));
    StringBuilder csv = new StringBuilder();
    gate.exportLedger(ACCOUNT, Instant.MIN, Instant.MAX, LedgerFormat.CSV, csv);
    assertEquals("at,account,kind,grant,amount,operation,key\r\n"
        + "2026-03-01T10:00:00Z,ada,GRANT,subscription,30,,\r\n"
        + "2026-03-01T10:01:00Z,ada,DEBIT,subscription,-0.3,ai-chat-message,\"tweak, \"\"quoted\"\"\"\r\n",
        csv.toString());
    StringBuilder jsonl = new StringBuilder();
    gate.exportLedger(ACCOUNT, T0.plusSeconds(1), Instant.MAX, LedgerFormat.JSON_LINES, jsonl);
    assertEquals("{\"at\":\"2026-03-01T10:01:00Z\",\"account\":\"ada\",\"kind\":\"DEBIT\","
        + "\"grant\":\"subscription\",\"amount\":\"-0.3\",\"operation\":\"ai-chat-message\","
        + "\"key\":\"tweak, \\\"quoted\\\"\"}\n", jsonl.toString());
  }

  @Test
  void replayReportsADifferenceBetweenLedgerAndWallet() {
    open();
    gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, key("c1"), T0);
    StoredWallet stored = stored();
    // Commit a changed wallet without its ledger entries, behind the gate's back: replay must notice.
    var tampered = Refunds.adjust(Wallet.of(stored.state()), Credits.of(1), "tamper", "t", T0, gate.rules()).wallet();
    assertTrue(store.commit(new dev.creditgate.spi.Commit(ACCOUNT, stored.version(), tampered, List.of(), List.of(), List.of(),
        tampered.nextHoldExpiry())));
    LedgerReplay replay = gate.replay(ACCOUNT);
    assertFalse(replay.isConsistent());
    assertEquals(Credits.of(1), replay.walletBalance().minus(replay.ledgerBalance()));
    assertEquals(Credits.of(-1), replay.differences().get("adjustment:t"));
  }

  @Test
  void aTopUpReArmsTheWarningsSoTheNextCrossingWarnsAgain() {
    List<dev.creditgate.model.WalletEvent> events = new ArrayList<>();
    CreditGate warned = CreditGate.builder(InMemoryWalletStore.create()).eventSink((id, event) -> events.add(event)).build();
    warned.openWallet(ACCOUNT, ZoneOffset.UTC, T0);
    warned.adjust(ACCOUNT, Credits.of(-30), "spend to zero", key("a1"), T0);
    warned.topUp(ACCOUNT, "small", key("pay-1"), T0);      // reference 130, available 100
    warned.adjust(ACCOUNT, Credits.of(-100), "spend to zero again", key("a2"), T0);
    List<Integer> crossed = events.stream()
        .filter(e -> e instanceof dev.creditgate.model.WalletEvent.ThresholdCrossed)
        .map(e -> ((dev.creditgate.model.WalletEvent.ThresholdCrossed) e).percent()).toList();
    assertEquals(List.of(20, 0, 20, 0), crossed);
  }

  @Test
  void aFixedCostHoldCanBeCapturedAtZeroUnitsWhenNothingWasProduced() {
    open();
    gate.reserve(ACCOUNT, Operation.GENERATE_IMAGE, 1, key("img"), T0);
    HoldSettlement s = gate.capture(ACCOUNT, key("img"), 0, Outcome.platformError(), key("img-end"), T0);
    assertEquals(Credits.ZERO, s.charged());
    assertEquals(Credits.of(30), available());
  }

  @Test
  void aReserveDoesNotUseUpTheWarningTheChargeThatSpendsIsWarned() {
    List<dev.creditgate.model.WalletEvent> events = new ArrayList<>();
    CreditGate warned = CreditGate.builder(InMemoryWalletStore.create()).eventSink((id, event) -> events.add(event)).build();
    warned.openWallet(ACCOUNT, ZoneOffset.UTC, T0);
    warned.reserve(ACCOUNT, Operation.GENERATE_IMAGE, 13, key("h"), T0); // 26 of 30 held
    warned.release(ACCOUNT, key("h"), key("rel"), T0);
    assertTrue(events.stream().noneMatch(e -> e instanceof dev.creditgate.model.WalletEvent.ThresholdCrossed));
    warned.charge(ACCOUNT, Operation.GENERATE_IMAGE, 13, key("c"), T0);
    assertTrue(events.stream().anyMatch(e -> e instanceof dev.creditgate.model.WalletEvent.ThresholdCrossed t
        && t.percent() == 20));
  }

  @Test
  void aRenewalToASmallerPlanTrimsTheHoldsAndNeverCreatesCredits() {
    open();
    gate.changePlan(ACCOUNT, "pro", key("up"), T0);                 // 150
    gate.changePlan(ACCOUNT, "free", key("down"), T0);              // 30 from the renewal
    Instant renewal = gate.status(ACCOUNT, T0).nextRenewal();
    gate.reserve(ACCOUNT, Operation.CONNECT_INTEGRATION, 30, key("h"), renewal.minusSeconds(60)); // 150 held
    Instant after = renewal.plusSeconds(1);
    assertEquals(Credits.ZERO, gate.status(ACCOUNT, after).available());
    assertEquals(Credits.of(30), gate.status(ACCOUNT, after).held(), "trimmed to what the wallet holds");
    HoldSettlement s = gate.capture(ACCOUNT, key("h"), 30, Outcome.succeeded(), key("cap"), after);
    assertEquals(Credits.of(30), s.charged());
    assertTrue(s.isShort());
    assertEquals(Credits.ZERO, gate.status(ACCOUNT, after).debt());
    assertTrue(gate.replay(ACCOUNT).isConsistent());
  }

  @Test
  void aHoldReleasedAfterARenewalLeavesOnlyTheNewAllowance() {
    open();
    Instant renewal = gate.status(ACCOUNT, T0).nextRenewal();
    gate.reserve(ACCOUNT, Operation.CONNECT_INTEGRATION, 6, key("h"), renewal.minusSeconds(60)); // 30 held
    gate.release(ACCOUNT, key("h"), key("rel"), renewal.plusSeconds(60));
    assertEquals(Credits.of(30), gate.status(ACCOUNT, renewal.plusSeconds(61)).available(),
        "unused credits of the old period expired; nothing carried over");
  }

  @Test
  void replayIsConsistentWhileAnotherThreadCharges() throws Exception {
    open();
    gate.adjust(ACCOUNT, Credits.of(100_000), "plenty", key("plenty"), T0);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Long> writer = pool.submit(() -> {
        long allowed = 0;
        for (int i = 0; i < 3_000; i++) {
          allowed += gate.charge(ACCOUNT, Operation.AI_CHAT_MESSAGE, 2_000, key("w" + i), T0).isAllowed() ? 1 : 0;
        }
        return allowed;
      });
      int replays = 0;
      while (!writer.isDone()) {
        LedgerReplay replay = gate.replay(ACCOUNT);
        assertTrue(replay.isConsistent(), () -> "replay while charging: " + replay);
        replays++;
      }
      // The writer's own failure (an exception in a charge) fails the test here, with its cause.
      assertEquals(3_000L, writer.get(10, TimeUnit.SECONDS), "every charge of 0.3 is covered by 100,030 credits");
      assertTrue(replays > 0);
    } finally {
      pool.shutdownNow();
    }
    assertTrue(gate.replay(ACCOUNT).isConsistent());
    assertEquals(Credits.of(100_030).minus(Credits.parse("0.3").times(3_000)), available());
  }
}
