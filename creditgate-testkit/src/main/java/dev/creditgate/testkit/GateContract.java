package dev.creditgate.testkit;

import static dev.creditgate.testkit.Fixtures.T0;
import static dev.creditgate.testkit.Fixtures.ZONE;
import static dev.creditgate.testkit.Fixtures.assertLedgerMatchesWallet;
import static dev.creditgate.testkit.Fixtures.key;
import static dev.creditgate.testkit.Fixtures.ledger;
import static dev.creditgate.testkit.Fixtures.loaded;
import static dev.creditgate.testkit.Fixtures.race;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.CreditGateBuilder;
import dev.creditgate.Decision;
import dev.creditgate.IdempotencyConflictException;
import dev.creditgate.LedgerFormat;
import dev.creditgate.TopUp;
import dev.creditgate.UnknownAccountException;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.spi.WalletStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The gate on the store: what a host sees when it builds {@code CreditGate.builder(store).build()}.
 * Every business rule is the gate's; the store must let them hold end to end:
 *
 * <ul>
 *   <li><b>Exactly once:</b> charges and top-ups are applied once per key and replayed after;
 *       a denial records nothing; the same key with other arguments is refused.
 *   <li><b>Holds:</b> reserved credits are unavailable until captured, released or swept; the
 *       sweep finds expired holds through the store's index and leaves none behind.
 *   <li><b>Unknown accounts</b> are reported by every call, reads included, and nothing is created.
 *   <li><b>No overspend:</b> however many threads charge one wallet, the allowed charges never
 *       exceed its credits, and its ledger sums to its balance.
 *   <li><b>One opening:</b> racing openings of one account open one wallet.
 * </ul>
 */
public interface GateContract extends StoreFixture {

  /**
   * What a wallet keeps of its use (its days and periods, for the forecast and the advice) lives in
   * its stored state: a gate over the store, built afresh, forecasts and advises what a gate in
   * memory that made the same calls does, and a repeated charge answers the cost's breakdown it paid.
   */
  @Test
  default void theWalletsUsageHistoryAndTheCostsBreakdownSurviveTheStore() {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    CreditGate reference = CreditGate.inMemory();
    AccountId maya = AccountId.of("maya");
    Decision first = null;
    for (CreditGate g : List.of(gate, reference)) {
      g.openWallet(maya, ZONE, T0);
      for (int day = 0; day < 4; day++) {
        Decision d = g.charge(maya, Operation.AI_CHAT_MESSAGE, 2_000 + day, key("msg-" + day),
            T0.plus(java.time.Duration.ofDays(day)));
        first = first == null ? d : first;
      }
      g.topUp(maya, "small", key("pay-1"), T0.plusSeconds(90));
    }
    Instant later = T0.plus(java.time.Duration.ofDays(5));
    CreditGate fresh = CreditGate.builder(store).build();
    assertEquals(reference.forecast(maya, later), fresh.forecast(maya, later));
    assertEquals(reference.advice(maya, later.plus(java.time.Duration.ofDays(40))),
        fresh.advice(maya, later.plus(java.time.Duration.ofDays(40))), "after a renewal: the periods it kept");
    assertTrue(fresh.forecast(maya, later) instanceof dev.creditgate.Forecast.Projected, "four days spent");
    assertEquals(first, fresh.charge(maya, Operation.AI_CHAT_MESSAGE, 2_000, key("msg-0"), later));
    assertEquals("0.1 base + 2 x 0.1 per 1,000 tokens = 0.3 credits",
        fresh.charge(maya, Operation.AI_CHAT_MESSAGE, 2_000, key("msg-0"), later).costBreakdown().sentence());
  }

  /**
   * A gate on the store applies a charge once per key: repeated, it returns the first decision and
   * spends nothing more; with other arguments it is an {@link IdempotencyConflictException}. A denied
   * charge records nothing, so its key goes through after a top-up, which itself replays when repeated;
   * the ledger then names exactly the keys that committed and sums to the wallet.
   */
  @Test
  default void theGateChargesTopsUpAndReplaysKeysExactlyOnce() {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    Instant at = T0.plusSeconds(60);

    Decision charged = gate.charge(maya, Operation.GENERATE_IMAGE, 3, key("img-1"), at);
    assertTrue(charged.isAllowed());
    assertEquals(Credits.of(24), charged.balanceAfter());
    assertEquals(charged, gate.charge(maya, Operation.GENERATE_IMAGE, 3, key("img-1"), at.plusSeconds(5)));
    assertEquals(Credits.of(24), gate.status(maya, at).available());

    assertThrows(IdempotencyConflictException.class,
        () -> gate.charge(maya, Operation.GENERATE_IMAGE, 4, key("img-1"), at));
    assertEquals(Credits.of(24), gate.status(maya, at).available());

    Decision denied = gate.charge(maya, Operation.GENERATE_IMAGE, 13, key("img-2"), at);
    assertFalse(denied.isAllowed());
    assertEquals(Optional.empty(), store.findRecord(maya, key("img-2")));

    TopUp topUp = gate.topUp(maya, "small", key("pay-1"), at);
    assertEquals(topUp, gate.topUp(maya, "small", key("pay-1"), at.plusSeconds(1)));
    assertEquals(Credits.of(124), gate.status(maya, at).available());

    Decision retried = gate.charge(maya, Operation.GENERATE_IMAGE, 13, key("img-2"), at);
    assertTrue(retried.isAllowed());
    assertEquals(Credits.of(98), gate.status(maya, at).available());

    Set<String> keys = new HashSet<>();
    for (LedgerEntry e : ledger(store, maya)) {
      keys.add(e.key());
    }
    assertEquals(Set.of("", "img-1", "pay-1", "img-2"), keys);
    assertEquals(4, loaded(store, maya).version());
    assertLedgerMatchesWallet(store, maya, at);
  }

  /**
   * Reserved credits are held, not available, until captured; the store's expired-hold search lists
   * only the account whose hold has outlived the default time-to-live, the gate's sweep releases that
   * hold so that the search lists nobody, and a second sweep changes nothing.
   */
  @Test
  @Timeout(120)
  default void theGateReservesCapturesAndSweepsExpiredHolds() {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    AccountId noah = AccountId.of("noah");
    gate.openWallet(maya, ZONE, T0);
    gate.openWallet(noah, ZONE, T0);
    assertTrue(gate.reserve(maya, Operation.GENERATE_IMAGE, 2, key("gen-1"), T0).isAllowed());
    assertTrue(gate.reserve(noah, Operation.GENERATE_IMAGE, 5, key("gen-2"), T0).isAllowed());
    assertEquals(Credits.of(26), gate.status(maya, T0).available());
    assertEquals(Credits.of(4), gate.status(maya, T0).held());

    assertEquals(Credits.of(2), gate.capture(maya, key("gen-1"), 1, Outcome.succeeded(), key("cap-1"),
        T0.plusSeconds(5)).charged());
    assertEquals(Credits.of(28), gate.status(maya, T0.plusSeconds(5)).available());
    assertEquals(Credits.ZERO, gate.status(maya, T0.plusSeconds(5)).held());

    Instant later = T0.plus(CreditGateBuilder.DEFAULT_HOLD_TIME_TO_LIVE).plusSeconds(1);
    assertEquals(List.of(), store.accountsWithHoldsExpiredBy(T0.plusSeconds(5), 10));
    assertEquals(List.of(noah), store.accountsWithHoldsExpiredBy(later, 10));
    assertEquals(1, gate.expireHolds(later));
    assertEquals(List.of(), store.accountsWithHoldsExpiredBy(later, 10));
    assertEquals(Credits.of(30), gate.status(noah, later).available());
    assertEquals(0, gate.expireHolds(later.plusSeconds(1)));
    assertLedgerMatchesWallet(store, maya, T0.plusSeconds(5));
    assertLedgerMatchesWallet(store, noah, later);
  }

  /**
   * Status, check, replay, ledger export, charge and plan change for an account with no wallet each
   * throw {@link UnknownAccountException} naming that account; none of them creates a wallet or a
   * ledger entry, and a sweep finds nothing to do.
   */
  @Test
  default void theGateReportsAnUnknownAccountOnEveryCall() {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId ghost = AccountId.of("ghost");
    List<Executable> calls = List.of(
        () -> gate.status(ghost, T0),
        () -> gate.check(ghost, Operation.GENERATE_IMAGE, 1, T0),
        () -> gate.replay(ghost),
        () -> gate.exportLedger(ghost, Instant.MIN, Instant.MAX, LedgerFormat.CSV, new StringBuilder()),
        () -> gate.charge(ghost, Operation.GENERATE_IMAGE, 1, key("k"), T0),
        () -> gate.changePlan(ghost, "pro", key("up"), T0));
    for (Executable call : calls) {
      UnknownAccountException e = assertThrows(UnknownAccountException.class, call);
      assertEquals(ghost, e.account());
    }
    assertEquals(Optional.empty(), store.load(ghost));
    assertEquals(List.of(), ledger(store, ghost));
    assertEquals(0, gate.expireHolds(Fixtures.FAR_FUTURE));
  }

  /**
   * Eight threads charge ten images each, at once, to a wallet with room for 65: exactly 65 charges are
   * allowed, one commit each, nothing is left available, and the ledger sums to the wallet.
   *
   * @throws Exception if one of the racing threads fails (its failure is the cause) or does not finish
   *     within a minute
   */
  @Test
  @Timeout(180)
  default void manyThreadsChargingOneWalletNeverOverspend() throws Exception {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    gate.topUp(maya, "small", key("pay-1"), T0); // 130 credits: room for 65 images
    int threads = 8;
    int each = 10;

    List<Integer> allowed = race(threads, t -> () -> {
      int count = 0;
      for (int i = 0; i < each; i++) {
        count += gate.charge(maya, Operation.GENERATE_IMAGE, 1, key(t + "-" + i), T0).isAllowed() ? 1 : 0;
      }
      return count;
    });

    assertEquals(65, allowed.stream().mapToInt(Integer::intValue).sum());
    assertEquals(Credits.ZERO, gate.status(maya, T0).available());
    assertEquals(2 + 65, loaded(store, maya).version());
    assertLedgerMatchesWallet(store, maya, T0);
  }

  /**
   * Eight threads open the same account at once: one wallet is stored, at version 1 with a single
   * ledger entry, and every opening reports that wallet (its period start, the free plan's 30 credits).
   *
   * @throws Exception if one of the racing threads fails (its failure is the cause) or does not finish
   *     within a minute
   */
  @Test
  @Timeout(120)
  default void racingOpeningsOpenTheWalletOnce() throws Exception {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    int threads = 8;

    List<WalletStatus> opened = race(threads, t -> () -> gate.openWallet(maya, ZONE, T0.plusSeconds(t)));

    assertEquals(1, loaded(store, maya).version());
    List<LedgerEntry> entries = ledger(store, maya);
    assertEquals(1, entries.size(), "opened more than once: " + entries);
    WalletStatus stored = gate.status(maya, T0.plusSeconds(threads));
    for (WalletStatus status : opened) {
      assertEquals(stored.periodStart(), status.periodStart(), "every opening reports the one wallet");
      assertEquals(Credits.of(30), status.available());
    }
    assertLedgerMatchesWallet(store, maya, T0.plusSeconds(threads));
  }
}
