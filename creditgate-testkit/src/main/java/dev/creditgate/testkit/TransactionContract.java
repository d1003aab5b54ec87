package dev.creditgate.testkit;

import static dev.creditgate.testkit.Fixtures.T0;
import static dev.creditgate.testkit.Fixtures.ZONE;
import static dev.creditgate.testkit.Fixtures.assertLedgerMatchesWallet;
import static dev.creditgate.testkit.Fixtures.assertSameWallet;
import static dev.creditgate.testkit.Fixtures.attemptUntilDone;
import static dev.creditgate.testkit.Fixtures.key;
import static dev.creditgate.testkit.Fixtures.ledger;
import static dev.creditgate.testkit.Fixtures.loaded;
import static dev.creditgate.testkit.Fixtures.open;
import static dev.creditgate.testkit.Fixtures.race;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.HoldStateException;
import dev.creditgate.IdempotencyConflictException;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.TopUp;
import dev.creditgate.UnknownAccountException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutations: the gate's read-decide-commit loop on the store, in whichever shape the store offers
 * (a {@link dev.creditgate.spi.WalletTransaction}, or only the conditional commit). A store must
 * guarantee:
 *
 * <ul>
 *   <li><b>Unknown accounts:</b> a mutation of an account with no wallet throws
 *       {@link UnknownAccountException} and creates nothing; a transaction's {@code attempt} throws
 *       it without deciding.
 *   <li><b>The decision sees what is stored:</b> the wallet as last committed, with its version,
 *       and the record of the call's key (only that key's), so a repeated call is replayed and the
 *       same key with other arguments is refused.
 *   <li><b>A decision that throws writes nothing</b>; its exception reaches the caller unchanged,
 *       and no lock or connection is left behind.
 *   <li><b>An answer without a commit writes nothing</b> (a denial records no key).
 *   <li><b>One decision per attempt:</b> a transaction's {@code attempt} calls the mutation at
 *       most once, and never retries after calling it; deciding again is the gate's, in a new
 *       attempt.
 *   <li><b>Nothing is lost:</b> concurrent mutations with distinct keys are each applied once; an
 *       attempt whose commit lost reports it (an empty result) and the decision runs again.
 *   <li><b>A key is applied once:</b> of racing mutations with one key, one commits and the others
 *       are answered from its record.
 *   <li><b>A commit's wallet comes with its records:</b> a decision that sees the wallet a commit
 *       stored also sees the records it stored (else a repeated call would be decided anew on a
 *       wallet that already holds its change).
 * </ul>
 *
 * <p>Each test checks its property through the gate, which works on both shapes; when the store
 * offers a transaction, it also checks {@link dev.creditgate.spi.WalletTransaction#attempt}
 * directly, with hand-written mutations. (The conditional commit itself is {@link CommitContract}'s.)
 */
public interface TransactionContract extends StoreFixture {

  /**
   * A charge, a top-up and a reserve for an account with no wallet throw {@link
   * UnknownAccountException} naming it, and so does the store's transaction, if it offers one, without
   * running the decision; no wallet, ledger entry or record is created.
   */
  @Test
  default void aMutationOfAnUnknownAccountThrowsAndCreatesNothing() {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId ghost = AccountId.of("ghost");

    UnknownAccountException charged = assertThrows(UnknownAccountException.class,
        () -> gate.charge(ghost, Operation.GENERATE_IMAGE, 1, key("k"), T0));
    assertEquals(ghost, charged.account());
    assertThrows(UnknownAccountException.class, () -> gate.topUp(ghost, "small", key("pay-1"), T0));
    assertThrows(UnknownAccountException.class, () -> gate.reserve(ghost, Operation.GENERATE_IMAGE, 1, key("h"), T0));
    store.transaction().ifPresent(tx -> {
      AtomicInteger decided = new AtomicInteger();
      UnknownAccountException direct = assertThrows(UnknownAccountException.class,
          () -> tx.attempt(ghost, key("k"), (stored, recorded) -> {
            decided.incrementAndGet();
            return Mutation.Outcome.answer("never");
          }));
      assertEquals(ghost, direct.account());
      assertEquals(0, decided.get(), "the mutation of an unknown account was decided");
    });

    assertEquals(Optional.empty(), store.load(ghost));
    assertEquals(List.of(), ledger(store, ghost));
    for (String k : List.of("k", "pay-1", "h")) {
      assertEquals(Optional.empty(), store.findRecord(ghost, key(k)));
    }
  }

  /**
   * Through the gate, a repeated top-up is answered from its record and another under the same key is
   * refused, both leaving the wallet as stored, and the next top-up builds on the wallet the first
   * committed. Through the store's transaction, if it offers one, the decision is handed the stored
   * wallet with its version and the record of its own key only: none before that key commits, the
   * stored record after.
   */
  @Test
  default void theDecisionIsHandedTheStoredWalletAndTheKeysRecord() {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    TopUp first = gate.topUp(maya, "small", key("pay-1"), T0.plusSeconds(1));
    StoredWallet v2 = loaded(store, maya);
    assertEquals(2, v2.version());

    assertEquals(first, gate.topUp(maya, "small", key("pay-1"), T0.plusSeconds(2)), "not replayed from the record");
    assertThrows(IdempotencyConflictException.class, () -> gate.topUp(maya, "medium", key("pay-1"), T0));
    assertSameWallet(v2, loaded(store, maya));
    // The next decision starts from the wallet the first one committed.
    assertEquals(Credits.of(230), gate.topUp(maya, "small", key("pay-2"), T0.plusSeconds(3)).balanceAfter());

    store.transaction().ifPresent(tx -> {
      AccountId noah = AccountId.of("noah");
      StoredWallet v1 = open(store, noah);
      AtomicReference<StoredWallet> wallet = new AtomicReference<>();
      AtomicReference<Optional<IdempotencyRecord>> record = new AtomicReference<>();

      Optional<String> granted = tx.attempt(noah, key("pay-1"), (stored, recorded) -> {
        wallet.set(stored);
        record.set(recorded);
        return Mutation.Outcome.commit("granted", Changes.topUp(noah, stored, "pay-1", T0.plusSeconds(1)));
      });
      assertEquals(Optional.of("granted"), granted);
      assertSameWallet(v1, wallet.get());
      assertEquals(Optional.empty(), record.get());
      StoredWallet noahV2 = loaded(store, noah);
      assertEquals(2, noahV2.version());
      IdempotencyRecord storedRecord = store.findRecord(noah, key("pay-1")).orElseThrow();

      Optional<String> replayed = tx.attempt(noah, key("pay-1"), (stored, recorded) -> {
        wallet.set(stored);
        record.set(recorded);
        return Mutation.Outcome.answer(recorded.map(IdempotencyRecord::result).orElse("no record"));
      });
      assertEquals(Optional.of(storedRecord.result()), replayed);
      assertSameWallet(noahV2, wallet.get());
      assertEquals(Optional.of(storedRecord), record.get());

      tx.attempt(noah, key("pay-2"), (stored, recorded) -> {
        record.set(recorded);
        return Mutation.Outcome.answer("none");
      });
      assertEquals(Optional.empty(), record.get(), "the record of another key was handed over");
      assertSameWallet(noahV2, loaded(store, noah));
    });
  }

  /**
   * Captures and a release of holds that are not open, and a refund of a key that charged nothing,
   * throw and leave the wallet, the ledger and the records as they were. A transaction's decision that
   * prepares a commit and then throws writes nothing, its exception reaches the caller unchanged, and
   * nothing is left locked: another thread's attempt on the wallet then commits.
   *
   * @throws Exception if that other thread's attempt fails (its failure is the cause) or does not
   *     finish within a minute
   */
  @Test
  @Timeout(120)
  default void aDecisionThatThrowsWritesNothing() throws Exception {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    assertTrue(gate.reserve(maya, Operation.GENERATE_IMAGE, 1, key("gen-1"), T0).isAllowed());
    gate.capture(maya, key("gen-1"), 1, Outcome.succeeded(), key("cap-1"), T0.plusSeconds(1));
    StoredWallet before = loaded(store, maya);
    List<LedgerEntry> ledgerBefore = ledger(store, maya);

    assertThrows(HoldStateException.class,
        () -> gate.capture(maya, key("nope"), 1, Outcome.succeeded(), key("cap-2"), T0.plusSeconds(2)));
    assertThrows(HoldStateException.class,
        () -> gate.capture(maya, key("gen-1"), 1, Outcome.succeeded(), key("cap-3"), T0.plusSeconds(2)));
    assertThrows(HoldStateException.class, () -> gate.release(maya, key("nope"), key("rel-1"), T0.plusSeconds(2)));
    assertThrows(InvalidRequestException.class,
        () -> gate.refundCharge(maya, key("never-charged"), Credits.of(1), key("refund-1"), T0.plusSeconds(2)));

    assertSameWallet(before, loaded(store, maya));
    assertEquals(ledgerBefore, ledger(store, maya));
    for (String k : List.of("cap-2", "cap-3", "rel-1", "refund-1")) {
      assertEquals(Optional.empty(), store.findRecord(maya, key(k)), "record of " + k);
    }

    if (store.transaction().isPresent()) {
      var tx = store.transaction().get();
      AccountId noah = AccountId.of("noah");
      StoredWallet v1 = open(store, noah);
      IllegalStateException failure = new IllegalStateException("decided to fail");
      IllegalStateException thrown = assertThrows(IllegalStateException.class,
          () -> tx.attempt(noah, key("k"), (stored, recorded) -> {
            // A real commit was made, then the decision failed: none of it may be written.
            Changes.topUp(noah, stored, "k", T0);
            throw failure;
          }));
      assertSame(failure, thrown);
      assertSameWallet(v1, loaded(store, noah));
      assertEquals(Optional.empty(), store.findRecord(noah, key("k")));
      assertEquals(1, ledger(store, noah).size());

      // Nothing was left behind: another thread's attempt on the wallet goes through.
      String after = race(1, i -> () -> attemptUntilDone(tx, noah, key("k"),
          (stored, recorded) -> Mutation.Outcome.commit("landed", Changes.topUp(noah, stored, "k", T0)))).get(0);
      assertEquals("landed", after);
      assertEquals(2, loaded(store, noah).version());
    }
  }

  /**
   * A denied charge and a denied reserve leave the wallet and the ledger as they were and record no
   * key, so the same charge under the same key goes through after a top-up; a transaction's decision
   * that answers without a commit writes nothing either, and its attempt decided once.
   */
  @Test
  default void anAnswerWithoutACommitWritesNothing() {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    StoredWallet before = loaded(store, maya);
    List<LedgerEntry> ledgerBefore = ledger(store, maya);

    Decision denied = gate.charge(maya, Operation.GENERATE_IMAGE, 16, key("img-1"), T0.plusSeconds(1));
    Decision deniedHold = gate.reserve(maya, Operation.GENERATE_IMAGE, 16, key("gen-1"), T0.plusSeconds(1));

    assertFalse(denied.isAllowed());
    assertFalse(deniedHold.isAllowed());
    assertSameWallet(before, loaded(store, maya));
    assertEquals(ledgerBefore, ledger(store, maya));
    assertEquals(Optional.empty(), store.findRecord(maya, key("img-1")));
    assertEquals(Optional.empty(), store.findRecord(maya, key("gen-1")));
    // The denial kept no key: after a top-up the same call goes through.
    gate.topUp(maya, "small", key("pay-1"), T0.plusSeconds(2));
    assertTrue(gate.charge(maya, Operation.GENERATE_IMAGE, 16, key("img-1"), T0.plusSeconds(3)).isAllowed());

    store.transaction().ifPresent(tx -> {
      AccountId noah = AccountId.of("noah");
      StoredWallet v1 = open(store, noah);
      AtomicInteger decided = new AtomicInteger();
      Optional<String> answer = tx.attempt(noah, key("k"), (stored, recorded) -> {
        decided.incrementAndGet();
        return Mutation.Outcome.answer("no change");
      });
      assertEquals(Optional.of("no change"), answer);
      assertEquals(1, decided.get(), "an attempt decides at most once");
      assertSameWallet(v1, loaded(store, noah));
      assertEquals(1, ledger(store, noah).size());
      assertEquals(Optional.empty(), store.findRecord(noah, key("k")));
    });
  }

  /**
   * Eight threads make fifteen adjustments each, every one under a key of its own, through the gate
   * and, if the store offers one, through its transaction (an attempt that lost is decided again):
   * every adjustment is applied exactly once, with its record, and the ledger sums to the wallet.
   *
   * @throws Exception if one of the racing threads fails (its failure is the cause) or does not finish
   *     within a minute
   */
  @Test
  @Timeout(180)
  default void concurrentMutationsWithDistinctKeysLoseNothing() throws Exception {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    int threads = 8;
    int each = 15;
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);

    race(threads, t -> () -> {
      for (int i = 0; i < each; i++) {
        gate.adjust(maya, Credits.of(1), "contract", key("t" + t + "-" + i), T0);
      }
      return null;
    });

    assertEquals(1 + threads * each, loaded(store, maya).version());
    assertEquals(Credits.of(30 + threads * each), gate.status(maya, T0).available());
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < each; i++) {
        assertTrue(store.findRecord(maya, key("t" + t + "-" + i)).isPresent(), "record of t" + t + "-" + i);
      }
    }
    assertLedgerMatchesWallet(store, maya, T0);

    if (store.transaction().isPresent()) {
      var tx = store.transaction().get();
      AccountId noah = AccountId.of("noah");
      open(store, noah);
      List<Integer> applied = race(threads, t -> () -> {
        int count = 0;
        for (int i = 0; i < each; i++) {
          var k = key("t" + t + "-" + i);
          count += attemptUntilDone(tx, noah, k, (stored, recorded) -> recorded.isPresent()
              ? Mutation.Outcome.answer(0)
              : Mutation.Outcome.commit(1, Changes.one(noah, stored,
                  g -> g.adjust(noah, Credits.of(1), "contract", k, T0))));
        }
        return count;
      });
      assertEquals(threads * each, applied.stream().mapToInt(Integer::intValue).sum());
      assertEquals(1 + threads * each, loaded(store, noah).version());
      assertEquals(Credits.of(30 + threads * each), gate.status(noah, T0).available());
      assertLedgerMatchesWallet(store, noah, T0);
    }
  }

  /**
   * Eight threads make the same top-up under one key at once, through the gate and, if the store offers
   * one, through its transaction: it is applied once and the ledger sums to the wallet; through the
   * gate every caller gets the same answer, through the transaction one decides and seven are answered
   * from its record.
   *
   * @throws Exception if one of the racing threads fails (its failure is the cause) or does not finish
   *     within a minute
   */
  @Test
  @Timeout(120)
  default void racingMutationsWithOneKeyApplyItOnceAndReplayTheFirstAnswer() throws Exception {
    WalletStore store = storeUnderTest();
    CreditGate gate = CreditGate.builder(store).build();
    int threads = 8;
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);

    List<TopUp> answers = race(threads, t -> () -> gate.topUp(maya, "small", key("pay-1"), T0.plusSeconds(1)));

    assertEquals(1, answers.stream().distinct().count(), "answers differ: " + answers);
    assertEquals(2, loaded(store, maya).version(), "the key was applied more than once");
    assertEquals(Credits.of(130), gate.status(maya, T0.plusSeconds(1)).available());
    assertLedgerMatchesWallet(store, maya, T0.plusSeconds(1));

    if (store.transaction().isPresent()) {
      var tx = store.transaction().get();
      AccountId noah = AccountId.of("noah");
      open(store, noah);
      List<String> results = race(threads, t -> () -> attemptUntilDone(tx, noah, key("pay-1"),
          (stored, recorded) -> recorded.isPresent()
              ? Mutation.Outcome.answer("replay of " + recorded.get().result())
              : Mutation.Outcome.commit("thread " + t, Changes.topUp(noah, stored, "pay-1", T0))));

      String replay = "replay of " + store.findRecord(noah, key("pay-1")).orElseThrow().result();
      assertEquals(1, results.stream().filter(r -> r.startsWith("thread ")).count(), "firsts: " + results);
      assertEquals(threads - 1, results.stream().filter(replay::equals).count(), "replays: " + results);
      assertEquals(2, loaded(store, noah).version(), "the key was applied more than once");
      assertEquals(Credits.of(130), gate.status(noah, T0).available());
      assertLedgerMatchesWallet(store, noah, T0);
    }
  }

  /**
   * One thread commits keyed changes one after another for about a second (at most 20,000), each
   * once the other thread decides, again and again, with its key, until it sees the key's record: no decision sees the wallet a commit stored without the record it stored. Through the
   * store's transaction if it offers one, else as the gate reads a commit-only store (the wallet,
   * then the key's record).
   *
   * @throws Exception if one of the two threads fails (its failure is the cause) or does not finish
   *     within a minute
   */
  @Test
  @Timeout(120)
  default void aDecisionThatSeesTheWalletACommitStoredAlsoSeesTheRecordsItStored() throws Exception {
    WalletStore store = storeUnderTest();
    AccountId maya = AccountId.of("maya");
    long first = open(store, maya).version();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger writing = new AtomicInteger(1);
    AtomicInteger reading = new AtomicInteger();

    List<Integer> torn = race(2, t -> t == 0 ? () -> {
      try {
        for (int i = 0; i < 20_000 && System.nanoTime() < until; i++) {
          // In step: the reader is already deciding with this key when its commit is made.
          while (reading.get() < i && System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          StoredWallet now = loaded(store, maya);
          IdempotencyRecord record = new IdempotencyRecord(key("k" + i), "request", "answer", T0);
          assertTrue(store.commit(new Commit(maya, now.version(), now.state(), List.of(), List.of(record),
              List.of(), Optional.empty())), "commit " + i + " lost, with no other writer");
          committed.incrementAndGet();
        }
        return 0;
      } finally {
        writing.set(0);
      }
    } : () -> {
      int seenTorn = 0;
      for (int i = 0; writing.get() == 1 || i < committed.get(); i++) {
        // Key k<i> is committed from version first + i, so it is stored with version first + i + 1.
        long storedWith = first + i + 1;
        reading.set(i);
        boolean[] seen = new boolean[2];
        while (!seen[1] && (writing.get() == 1 || i < committed.get())) {
          if (store.transaction().isPresent()) {
            store.transaction().get().attempt(maya, key("k" + i), (stored, recorded) -> {
              seen[0] = stored.version() >= storedWith;
              seen[1] = recorded.isPresent();
              return Mutation.Outcome.answer(Boolean.TRUE);
            });
          } else {
            seen[0] = loaded(store, maya).version() >= storedWith;
            seen[1] = store.findRecord(maya, key("k" + i)).isPresent();
          }
          if (seen[0] && !seen[1]) {
            seenTorn++;
          }
        }
      }
      return seenTorn;
    });

    assertTrue(committed.get() > 0, "no commit was made");
    assertEquals(0, torn.get(1), "decisions that saw a commit's wallet without its record, in "
        + committed.get() + " commits");
  }
}
