package dev.creditgate.testkit;

import dev.creditgate.model.Credits;

import dev.creditgate.LedgerReplay;

import dev.creditgate.CreditGate;

import static dev.creditgate.testkit.Fixtures.T0;
import static dev.creditgate.testkit.Fixtures.ZONE;
import static dev.creditgate.testkit.Fixtures.race;
import static dev.creditgate.testkit.Fixtures.assertLedgerMatchesWallet;
import static dev.creditgate.testkit.Fixtures.assertStored;
import static dev.creditgate.testkit.Fixtures.ledger;
import static dev.creditgate.testkit.Fixtures.loaded;
import static dev.creditgate.testkit.Fixtures.open;
import static dev.creditgate.testkit.Fixtures.times;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ledger: append-only, per account, read back by time range. A store must guarantee:
 *
 * <ul>
 *   <li><b>Commit order:</b> {@code readLedger} hands over the entries in the order they were
 *       committed (and in order within a commit), which need not be the order of their instants.
 *   <li><b>Half-open ranges to the nanosecond:</b> an entry is read iff {@code from <= at < to};
 *       {@link Instant#MIN} and {@link Instant#MAX} are valid bounds.
 *   <li><b>Verbatim entries</b>, field for field, and <b>per account</b>: an account's ledger
 *       never shows another's entries.
 *   <li><b>Streaming:</b> {@code readLedger} returns a lazy stream that a long ledger fills entry
 *       by entry; closed early, or when the consumer throws (the exception reaches the caller
 *       unchanged), it leaves the store usable (no connection, cursor or lock left behind).
 *   <li><b>Snapshots:</b> {@code snapshot} hands the wallet and its whole ledger as of one moment
 *       to the reader (the ledger sums to that wallet even while others commit), nothing for an
 *       unknown account, and lets the reader's exception through.
 * </ul>
 */
public interface LedgerContract extends StoreFixture {

  /**
   * Top-ups committed at instants out of time order read back in commit order, in full and within
   * ranges; a range includes {@code from} and excludes {@code to}, to the nanosecond, and takes {@link
   * Instant#MIN} and {@link Instant#MAX} as bounds.
   */
  @Test
  default void theLedgerReadsBackInCommitOrderWithinATimeRange() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    StoredWallet current = open(store, alice);
    // Commit order differs from time order: the ledger keeps commit order.
    Instant[] times = {T0.plusSeconds(30), T0.plusSeconds(10), T0.plusSeconds(20).plusNanos(1)};
    List<LedgerEntry> expected = new ArrayList<>(ledger(store, alice));
    for (int i = 0; i < times.length; i++) {
      Commit topUp = Changes.topUp(alice, current, "pay-" + i, times[i]);
      assertEquals(1, topUp.entries().size(), "a top-up writes one grant");
      assertTrue(store.commit(topUp));
      expected.addAll(topUp.entries());
      current = loaded(store, alice);
    }
    List<LedgerEntry> all = ledger(store, alice);
    assertEquals(expected, all);
    assertEquals(List.of(T0, times[0], times[1], times[2]), times(all));

    // from is inclusive, to exclusive, to the nanosecond; commit order within the range.
    assertEquals(List.of(times[0], times[1], times[2]), times(ledger(store, alice, times[1], times[0].plusNanos(1))));
    assertEquals(List.of(times[1], times[2]), times(ledger(store, alice, times[1], times[0])));
    assertEquals(List.of(times[2]), times(ledger(store, alice, times[2], times[2].plusNanos(1))));
    assertEquals(List.of(), ledger(store, alice, times[2].plusNanos(1), times[0]));
    assertEquals(List.of(times[0]), times(ledger(store, alice, times[2].plusNanos(1), Instant.MAX)));
    assertEquals(List.of(T0), times(ledger(store, alice, Instant.MIN, T0.plusNanos(1))));
    assertEquals(List.of(), ledger(store, alice, Instant.MIN, T0));
    assertEquals(List.of(), ledger(store, alice, times[0], times[0]));
    assertEquals(expected, ledger(store, alice, Instant.MIN, Instant.MAX));
  }

  /**
   * With the commits of two accounts interleaved, and a third account whose id starts with the first's,
   * each account's ledger reads back exactly its own entries, in order, each naming that account.
   */
  @Test
  default void theLedgerOfOneAccountNeverShowsAnothers() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    AccountId bob = AccountId.of("bob");
    AccountId alicePrefix = AccountId.of("alice-2");
    open(store, alice);
    open(store, bob);
    open(store, alicePrefix);
    List<LedgerEntry> alices = new ArrayList<>(ledger(store, alice));
    List<LedgerEntry> bobs = new ArrayList<>(ledger(store, bob));
    for (int i = 0; i < 3; i++) {
      Commit forAlice = Changes.topUp(alice, loaded(store, alice), "a" + i, T0.plusSeconds(i));
      Commit forBob = Changes.topUp(bob, loaded(store, bob), "medium", "b" + i, T0.plusSeconds(i));
      assertTrue(store.commit(forAlice));
      assertTrue(store.commit(forBob));
      alices.addAll(forAlice.entries());
      bobs.addAll(forBob.entries());
    }

    assertEquals(alices, ledger(store, alice));
    assertEquals(bobs, ledger(store, bob));
    assertEquals(1, ledger(store, alicePrefix).size());
    for (AccountId account : List.of(alice, bob, alicePrefix)) {
      for (LedgerEntry e : ledger(store, account)) {
        assertEquals(account, e.account());
      }
    }
  }

  /**
   * A ledger of 301 entries streams back whole; a stream closed after ten entries, and one whose
   * consumer throws at the tenth (the very exception reaches the caller), leave the store able to read
   * the ledger and to commit as before.
   */
  @Test
  default void theLedgerStreamsLongHistoriesLazilyAndLetsGoWhenClosedEarlyOrTheConsumerThrows() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    StoredWallet v1 = open(store, alice);
    List<LedgerEntry> expected = new ArrayList<>(ledger(store, alice));
    int commits = 300;
    List<Commit> history = Changes.all(alice, Optional.of(v1), UnaryOperator.identity(), gate -> {
      for (int i = 0; i < commits; i++) {
        gate.topUp(alice, "small", IdempotencyKey.of("k" + i), T0.plusMillis(i));
      }
    });
    assertEquals(commits, history.size());
    for (Commit commit : history) {
      assertTrue(store.commit(commit), "commit from version " + commit.expectedVersion());
    }
    expected.addAll(Changes.entriesOf(history));

    List<LedgerEntry> streamed;
    try (Stream<LedgerEntry> read = store.readLedger(alice, Instant.EPOCH, Instant.MAX)) {
      streamed = read.toList();
    }
    assertEquals(expected, streamed);

    // Closed after ten entries: a lazy stream read only what it was asked for, and lets go.
    try (Stream<LedgerEntry> read = store.readLedger(alice, Instant.EPOCH, Instant.MAX)) {
      assertEquals(expected.subList(0, 10), read.limit(10).toList());
    }
    AtomicInteger before = new AtomicInteger();
    IllegalStateException enough = new IllegalStateException("enough");
    IllegalStateException stop = assertThrows(IllegalStateException.class, () -> {
      try (Stream<LedgerEntry> read = store.readLedger(alice, Instant.EPOCH, Instant.MAX)) {
        read.forEachOrdered(e -> {
          if (before.incrementAndGet() == 10) {
            throw enough;
          }
        });
      }
    });
    assertSame(enough, stop);
    assertEquals(10, before.get());

    // The store is still usable: it reads and commits as before.
    assertEquals(expected, ledger(store, alice));
    Commit after = Changes.topUp(alice, loaded(store, alice), "after", T0.plusSeconds(1));
    assertTrue(store.commit(after));
    assertStored(store, alice, 2 + commits, after.state());
    assertLedgerMatchesWallet(store, alice, T0.plusSeconds(1));
  }

  /**
   * While seven threads commit adjustments, each of twenty replays (which read through {@code
   * snapshot}) finds the ledger consistent with the wallet read with it. At rest a snapshot reads the
   * stored version and the whole ledger, a snapshot of an unknown account is empty, the reader's
   * exception reaches the caller as it was thrown, and a snapshot writes nothing.
   *
   * @throws Exception if one of the racing threads fails (its failure is the cause) or does not finish
   *     within a minute
   */
  @Test
  default void aSnapshotReadsTheWalletAndItsLedgerAsOfOneMoment() throws Exception {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(alice, ZONE, T0);
    assertEquals(Optional.empty(), store.snapshot(AccountId.of("nobody"), (wallet, ledger) -> "called"));

    // While eight threads commit, every snapshot's ledger sums to its own wallet.
    AtomicInteger snapshots = new AtomicInteger();
    race(8, thread -> () -> {
      for (int i = 0; i < 20; i++) {
        if (thread == 0) {
          LedgerReplay replay = gate.replay(alice);
          assertTrue(replay.isConsistent(), "snapshot " + i + ": " + replay);
          snapshots.incrementAndGet();
        } else {
          gate.adjust(alice, Credits.of(1), "grant", IdempotencyKey.of(thread + "-" + i), T0);
        }
      }
      return null;
    });
    assertEquals(20, snapshots.get());
    StoredWallet now = store.load(alice).orElseThrow();
    assertEquals(Optional.of(now.version() + ":" + ledger(store, alice).size()),
        store.snapshot(alice, (wallet, ledger) -> wallet.version() + ":" + ledger.count()));

    IllegalStateException failing = new IllegalStateException("reader failed");
    assertSame(failing, assertThrows(IllegalStateException.class, () -> store.snapshot(alice, (wallet, ledger) -> {
      throw failing;
    })));
    assertEquals(now, store.load(alice).orElseThrow(), "a snapshot writes nothing");
  }
}
