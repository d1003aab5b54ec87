package dev.creditgate.testkit;

import static dev.creditgate.testkit.Fixtures.T0;
import static dev.creditgate.testkit.Fixtures.assertLedgerMatchesWallet;
import static dev.creditgate.testkit.Fixtures.assertSameWallet;
import static dev.creditgate.testkit.Fixtures.assertStored;
import static dev.creditgate.testkit.Fixtures.key;
import static dev.creditgate.testkit.Fixtures.ledger;
import static dev.creditgate.testkit.Fixtures.loaded;
import static dev.creditgate.testkit.Fixtures.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Loading and the conditional commit: the write every store offers, and the one the gate uses when
 * a store offers no {@link dev.creditgate.spi.WalletTransaction}. A store must guarantee:
 *
 * <ul>
 *   <li><b>Nothing for an unknown account:</b> {@code load} and {@code findRecord} are empty and the
 *       ledger reads back no entry.
 *   <li><b>Creation once:</b> a commit from version 0 creates the wallet at version 1 if no wallet
 *       of the account exists; otherwise it loses.
 *   <li><b>Conditional, all or nothing:</b> a commit from version {@code v} lands only if the
 *       stored version is {@code v} and then stores, together, version {@code v + 1}, the state it
 *       was handed, its ledger entries (appended after the existing ones, in order) and its
 *       idempotency records. A commit from any other version, or to a wallet that does not
 *       exist, returns {@code false} and writes nothing.
 *   <li><b>One winner:</b> of commits racing from one version, from any number of threads,
 *       exactly one lands.
 *   <li><b>A key is applied once:</b> a commit any of whose records' keys is already stored for
 *       the account loses, whatever its version, and writes nothing (not even its other records).
 *   <li><b>Keys are scoped to their account</b>, and <b>records are kept verbatim</b>: key,
 *       request, result text and instant, whatever characters they hold.
 * </ul>
 */
public interface CommitContract extends StoreFixture {

  /**
   * On an empty store, an account that was never opened has no wallet to load, no record under any key
   * and no ledger entry, and the expired-hold search lists no account at all.
   */
  @Test
  default void nothingIsStoredForAnUnknownAccount() {
    WalletStore store = storeUnderTest();
    AccountId nobody = AccountId.of("nobody");
    assertEquals(Optional.empty(), store.load(nobody));
    assertEquals(Optional.empty(), store.findRecord(nobody, key("k")));
    assertEquals(List.of(), ledger(store, nobody));
    assertEquals(List.of(), store.accountsWithHoldsExpiredBy(Fixtures.FAR_FUTURE, 10));
  }

  /**
   * The opening commit (from version 0, granting the free plan's allowance) lands and creates the
   * wallet at version 1 with exactly the state it carried; the ledger reads back the opening's entries
   * and sums to the wallet.
   */
  @Test
  default void openingAWalletStoresItAtVersionOneWithItsLedger() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    Commit opening = Changes.opening(alice, T0);
    assertEquals(0, opening.expectedVersion());
    assertFalse(opening.entries().isEmpty(), "an opening grants the plan's allowance");

    assertTrue(store.commit(opening));

    assertStored(store, alice, 1, opening.state());
    assertEquals(opening.entries(), ledger(store, alice));
    assertLedgerMatchesWallet(store, alice, T0);
  }

  /**
   * A second commit from version 0 for an account whose wallet exists returns {@code false} and leaves
   * the stored version, state and ledger as the first opening wrote them.
   */
  @Test
  default void openingTwiceLosesTheSecondTimeAndWritesNothing() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    StoredWallet first = open(store, alice);
    List<LedgerEntry> before = ledger(store, alice);
    Commit again = Changes.opening(alice, T0.plusSeconds(60));

    assertFalse(store.commit(again));

    assertSameWallet(first, loaded(store, alice));
    assertEquals(before, ledger(store, alice));
  }

  /**
   * A top-up committed from version 1 stores, together, version 2 with its state, its ledger entries
   * appended after the opening's, and its idempotency record, which {@code findRecord} then returns as
   * committed.
   */
  @Test
  default void aCommitBumpsTheVersionAndStoresWalletEntriesAndRecordTogether() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(store, alice);
    List<LedgerEntry> before = ledger(store, alice);
    Commit commit = Changes.topUp(alice, v1, "pay-1", T0.plusSeconds(1));
    assertEquals(1, commit.records().size());

    assertTrue(store.commit(commit));

    assertStored(store, alice, 2, commit.state());
    List<LedgerEntry> expected = new ArrayList<>(before);
    expected.addAll(commit.entries());
    assertEquals(expected, ledger(store, alice));
    assertEquals(Optional.of(commit.records().get(0)), store.findRecord(alice, key("pay-1")));
    assertLedgerMatchesWallet(store, alice, T0.plusSeconds(1));
  }

  /**
   * Of two top-ups both made from version 1 and committed one after the other, the first lands; the
   * second returns {@code false}, and none of its state, entries or record is stored.
   */
  @Test
  default void ofTwoCommitsFromTheSameVersionOnlyTheFirstLands() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(store, alice);
    Commit first = Changes.topUp(alice, v1, "pay-1", T0.plusSeconds(1));
    Commit second = Changes.topUp(alice, v1, "medium", "pay-2", T0.plusSeconds(2));

    assertTrue(store.commit(first));
    assertFalse(store.commit(second));

    assertStored(store, alice, 2, first.state());
    assertEquals(Optional.empty(), store.findRecord(alice, key("pay-2")));
    List<LedgerEntry> all = ledger(store, alice);
    assertEquals(first.entries(), all.subList(all.size() - first.entries().size(), all.size()));
    assertEquals(1 + first.entries().size(), all.size());
    assertLedgerMatchesWallet(store, alice, T0.plusSeconds(2));
  }

  /**
   * A commit whose expected version is ahead of the stored one (7 against 1), and a commit from version
   * 1 for an account with no wallet, each return {@code false} and write nothing: no wallet, ledger
   * entry or record appears.
   */
  @Test
  default void aCommitFromAFutureVersionOrToAMissingWalletLoses() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(store, alice);
    Commit ahead = Changes.topUp(alice, new StoredWallet(v1.state(), 7), "pay-1", T0);
    assertEquals(7, ahead.expectedVersion());
    assertFalse(store.commit(ahead));
    assertSameWallet(v1, loaded(store, alice));
    assertEquals(Optional.empty(), store.findRecord(alice, key("pay-1")));
    assertEquals(1, ledger(store, alice).size());

    AccountId bob = AccountId.of("bob");
    assertFalse(store.commit(Changes.aimedAt(Changes.opening(bob, T0), 1)));
    assertEquals(Optional.empty(), store.load(bob));
    assertEquals(List.of(), ledger(store, bob));
  }

  /**
   * A commit from the current version that carries a key already recorded for the account loses,
   * whether that record comes first, last or alone among its records: the wallet, the ledger and the
   * original record stay as they were, and the commit's other, fresh key is not recorded either. The
   * same change under a key of its own then lands.
   */
  @Test
  default void aCommitWhoseKeyIsAlreadyStoredLosesAndWritesNothing() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    assertTrue(store.commit(Changes.topUp(alice, open(store, alice), "pay-1", T0.plusSeconds(1))));
    StoredWallet v2 = loaded(store, alice);
    List<LedgerEntry> before = ledger(store, alice);
    IdempotencyRecord original = store.findRecord(alice, key("pay-1")).orElseThrow();

    // Same key, current version: a key is applied once, whatever the version says, wherever it
    // stands among the commit's records.
    Commit change = Changes.topUp(alice, v2, "again", T0.plusSeconds(2));
    IdempotencyRecord fresh = new IdempotencyRecord(key("fresh"), "other", "result of other", T0);
    IdempotencyRecord reused = new IdempotencyRecord(key("pay-1"), "top-up pack small", "5", T0.plusSeconds(2));
    for (List<IdempotencyRecord> records : List.of(List.of(fresh, reused), List.of(reused, fresh), List.of(reused))) {
      assertFalse(store.commit(Changes.withRecords(change, records)), "records " + records);

      assertSameWallet(v2, loaded(store, alice));
      assertEquals(before, ledger(store, alice));
      assertEquals(Optional.of(original), store.findRecord(alice, key("pay-1")));
      assertEquals(Optional.empty(), store.findRecord(alice, key("fresh")));
    }
    // The same change under keys of its own lands.
    assertTrue(store.commit(change));
    assertStored(store, alice, 3, change.state());
  }

  /**
   * The same key committed for two accounts, with different records, lands for both; each account's
   * {@code findRecord} returns its own record, and a third account finds none.
   */
  @Test
  default void keysAreScopedToTheirAccount() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    AccountId bob = AccountId.of("bob");
    Commit alices = Changes.topUp(alice, open(store, alice), "small", "pay-1", T0);
    Commit bobs = Changes.topUp(bob, open(store, bob), "medium", "pay-1", T0.plusSeconds(1));
    assertNotEquals(alices.records(), bobs.records());

    assertTrue(store.commit(alices));
    assertTrue(store.commit(bobs), "a key stored for another account stopped a commit");

    assertEquals(Optional.of(alices.records().get(0)), store.findRecord(alice, key("pay-1")));
    assertEquals(Optional.of(bobs.records().get(0)), store.findRecord(bob, key("pay-1")));
    assertEquals(Optional.empty(), store.findRecord(AccountId.of("carol"), key("pay-1")));
  }

  /**
   * Records whose key, request and result hold newlines, quotes, tabs, a carriage return, SQL,
   * backslashes, format specifiers, combining characters and an emoji, at instants with nanoseconds,
   * read back equal field for field; a key that differs from a stored one only by surrounding spaces
   * finds nothing.
   */
  @Test
  default void recordsAreKeptVerbatim() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(store, alice);
    IdempotencyRecord odd = new IdempotencyRecord(key("ключ:1\n\"x\""),
        "charge ai-chat-message x1 ✓ 'quoted'; DROP TABLE --", "5:hello3:a:b\t?\r\n",
        Instant.parse("2026-03-02T08:00:00.000000001Z"));
    IdempotencyRecord spaced = new IdempotencyRecord(key(" k "), " ", "\\0 %s %n ${x} \u00e9\u0301 \uD83D\uDE00",
        Instant.parse("1999-12-31T23:59:59.999999999Z"));
    Commit commit = Changes.withRecords(Changes.topUp(alice, v1, "odd", T0), List.of(odd, spaced));

    assertTrue(store.commit(commit));

    assertEquals(Optional.of(odd), store.findRecord(alice, odd.key()));
    assertEquals(Optional.of(spaced), store.findRecord(alice, spaced.key()));
    assertEquals(Optional.empty(), store.findRecord(alice, key("k")));
    IdempotencyRecord back = store.findRecord(alice, odd.key()).orElseThrow();
    assertEquals(odd.request(), back.request());
    assertEquals(odd.result(), back.result());
    assertEquals(odd.at(), back.at());
  }

  /**
   * In each of five rounds eight threads commit at once from the same version: exactly one commit
   * lands, the wallet holds its state at the next version, only its record is stored, and the ledger
   * ends with the winners' entries in round order.
   *
   * @throws Exception if one of the racing threads fails (its failure is the cause) or does not finish
   *     within a minute
   */
  @Test
  @Timeout(120)
  default void racingCommitsFromOneVersionHaveExactlyOneWinner() throws Exception {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    open(store, alice);
    int threads = 8;
    List<LedgerEntry> expectedLedger = new ArrayList<>(ledger(store, alice));
    for (int round = 0; round < 5; round++) {
      StoredWallet current = loaded(store, alice);
      List<Commit> commits = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        commits.add(Changes.topUp(alice, current, "r" + round + "-t" + i, T0.plusSeconds(round)));
      }

      List<Boolean> landed = Fixtures.race(threads, i -> () -> store.commit(commits.get(i)));

      assertEquals(1, landed.stream().filter(b -> b).count(), "winners of round " + round);
      Commit winner = commits.get(landed.indexOf(true));
      assertStored(store, alice, current.version() + 1, winner.state());
      for (int i = 0; i < threads; i++) {
        assertEquals(landed.get(i), store.findRecord(alice, key("r" + round + "-t" + i)).isPresent(),
            "the record of thread " + i + " in round " + round);
      }
      expectedLedger.addAll(winner.entries());
    }
    assertEquals(expectedLedger, ledger(store, alice));
    assertLedgerMatchesWallet(store, alice, T0.plusSeconds(5));
  }
}
