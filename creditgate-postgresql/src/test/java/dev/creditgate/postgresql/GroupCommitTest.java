package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoreFaultException;
import dev.creditgate.spi.WalletTransaction;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on a real PostgreSQL: concurrent calls gathered into one transaction, each decided
 * on its own wallet's fresh state, answered with its own decision, idempotent by its own key, and
 * failing alone when its own input is bad. The store's contract, the fault injection at every
 * statement, the multi-instance test and the chaos suite run with it on as well.
 */
class GroupCommitTest {
  private static final String SCHEMA = "creditgate_group";
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  /** Long enough for every call of a test to join one batch, which closes once it holds them all. */
  private static final Duration GATHER = Duration.ofSeconds(20);
  private static TestPool pool;
  private final ExecutorService threads = Executors.newFixedThreadPool(16);

  @BeforeAll
  static void schema() {
    TestDatabase.get().recreate(SCHEMA);
    pool = TestDatabase.get().pool(20);
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @BeforeEach
  void emptyTables() {
    TestDatabase.get().truncate(SCHEMA);
  }

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(0, pool.borrowedCount(), "connections not handed back to the pool");
  }

  private static JdbcWalletStore store(Duration window) {
    return TestDatabase.store(pool, SCHEMA).groupCommit(window).build();
  }

  /** A store whose first batch holds exactly the next {@code calls} calls, however slowly they come. */
  private static JdbcWalletStore batchesOf(int calls) {
    return TestDatabase.store(pool, SCHEMA).groupCommit(GATHER, calls, false).build();
  }

  private static GroupCommit groupCommit(JdbcWalletStore store) {
    return (GroupCommit) store.transaction().orElseThrow();
  }

  private static AccountId open(CreditGate gate, String name) {
    AccountId account = AccountId.of(name);
    gate.openWallet(account, ZoneOffset.UTC, T0); // Free: 30 credits, 15 images
    return account;
  }

  private <T> List<T> allAtOnce(List<Callable<T>> calls) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> call : calls) {
      futures.add(threads.submit(() -> {
        start.await();
        return call.call();
      }));
    }
    start.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get(60, TimeUnit.SECONDS));
    }
    return results;
  }

  private static Credits ledgerSum(JdbcWalletStore store, AccountId account) {
    try (Stream<LedgerEntry> entries = store.readLedger(account, Instant.EPOCH, Instant.MAX)) {
      return entries.map(LedgerEntry::amount).reduce(Credits.ZERO, Credits::plus);
    }
  }

  @Test
  void concurrentChargesOnManyWalletsAreGatheredAndEachDecidedOnItsOwnWallet() throws Exception {
    JdbcWalletStore store = store(Duration.ofMillis(2));
    CreditGate gate = CreditGate.builder(store).build();
    List<AccountId> accounts = List.of(open(gate, "ana"), open(gate, "ben"), open(gate, "cleo"), open(gate, "dev"));
    long[] before = groupCommit(store).statistics();
    List<Callable<Decision>> calls = new ArrayList<>();
    for (int i = 0; i < 160; i++) {
      AccountId account = accounts.get(i % accounts.size());
      IdempotencyKey key = IdempotencyKey.of("img-" + i);
      calls.add(() -> gate.charge(account, Operation.GENERATE_IMAGE, 1, key, T0));
    }

    List<Decision> decisions = allAtOnce(calls);

    // 15 images of 2 credits fit in each Free wallet's 30 credits: exactly 60 allowed, no more.
    assertEquals(60, decisions.stream().filter(Decision::isAllowed).count());
    for (AccountId account : accounts) {
      assertEquals(Credits.ZERO, gate.status(account, T0).available(), account.value());
      assertEquals(Credits.ZERO, ledgerSum(store, account), "the ledger sums to the balance: " + account);
    }
    long[] after = groupCommit(store).statistics();
    long batches = after[0] - before[0];
    long gathered = after[1] - before[1];
    assertEquals(160, gathered, "every call went through a batch");
    assertTrue(batches < gathered, "calls were gathered: " + gathered + " calls in " + batches + " batches");
  }

  @Test
  void callsOnOneHotWalletAreDecidedOneAfterAnotherInOneTransaction() throws Exception {
    JdbcWalletStore store = batchesOf(16);
    CreditGate gate = CreditGate.builder(store).build();
    AccountId team = open(gate, "team");
    long[] before = groupCommit(store).statistics();
    List<Callable<Decision>> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      IdempotencyKey key = IdempotencyKey.of("img-" + i);
      calls.add(() -> gate.charge(team, Operation.GENERATE_IMAGE, 1, key, T0));
    }

    long started = System.nanoTime();
    List<Decision> decisions = allAtOnce(calls);

    assertTrue(System.nanoTime() - started < GATHER.toNanos() / 2, "a full batch is written at once");
    assertEquals(15, decisions.stream().filter(Decision::isAllowed).count());
    assertEquals(1, decisions.stream().filter(d -> d instanceof Decision.Denied).count());
    // Each allowed charge saw the one before it: the balances after them are 28, 26, ..., 0.
    assertEquals(List.of(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 20L, 22L, 24L, 26L, 28L),
        decisions.stream().filter(Decision::isAllowed).map(d -> d.balanceAfter().thousandths() / 1000)
            .sorted().toList());
    long[] after = groupCommit(store).statistics();
    assertEquals(1, after[0] - before[0], "one batch, one transaction");
    assertEquals(16, store.load(team).orElseThrow().version(), "its opening, then 15 commits");
    assertEquals(Credits.ZERO, ledgerSum(store, team));
  }

  @Test
  void theSameKeyTwiceInOneBatchAppliesOnceAndAnswersBothAlike() throws Exception {
    JdbcWalletStore store = batchesOf(3);
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = open(gate, "maya");
    IdempotencyKey key = IdempotencyKey.of("img-1");
    Callable<Decision> charge = () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, key, T0);

    long[] before = groupCommit(store).statistics();
    long started = System.nanoTime();
    List<Decision> decisions = allAtOnce(List.of(charge, charge, charge));

    assertTrue(System.nanoTime() - started < GATHER.toNanos() / 2, "one batch, decided in it, nothing gone alone");
    assertEquals(1, groupCommit(store).statistics()[0] - before[0]);
    assertEquals(decisions.get(0), decisions.get(1));
    assertEquals(decisions.get(0), decisions.get(2));
    assertEquals(Credits.of(28), gate.status(maya, T0).available());
    assertEquals(2, store.load(maya).orElseThrow().version(), "applied once");
  }

  @Test
  void aCallWhoseMutationThrowsFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
    JdbcWalletStore store = batchesOf(3);
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = open(gate, "maya");
    AccountId noah = open(gate, "noah");
    WalletTransaction tx = store.transaction().orElseThrow();
    IllegalStateException bad = new IllegalStateException("this call's own bad input");
    long[] before = groupCommit(store).statistics();

    List<Object> results = allAtOnce(List.of(
        () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0),
        () -> {
          try {
            return tx.attempt(maya, IdempotencyKey.of("bad"), (wallet, record) -> {
              throw bad;
            });
          } catch (IllegalStateException e) {
            return e;
          }
        },
        () -> gate.charge(noah, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-2"), T0)));

    assertTrue(((Decision) results.get(0)).isAllowed());
    assertEquals(bad, results.get(1), "the mutation's exception reaches its caller unchanged");
    assertTrue(((Decision) results.get(2)).isAllowed());
    assertEquals(1, groupCommit(store).statistics()[0] - before[0], "the three were one batch");
    assertEquals(Credits.of(28), gate.status(maya, T0).available());
    assertEquals(Credits.of(28), gate.status(noah, T0).available());
    assertEquals(Optional.empty(), store.findRecord(maya, IdempotencyKey.of("bad")));
  }

  @Test
  void aCallWhoseTextCannotBeStoredIsRefusedAloneAndTheRestOfItsBatchCommits() throws Exception {
    JdbcWalletStore store = batchesOf(2);
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = open(gate, "maya");
    WalletTransaction tx = store.transaction().orElseThrow();
    IdempotencyKey key = IdempotencyKey.of("nul");
    Mutation<String> unstorable = (wallet, record) -> Mutation.Outcome.commit("written",
        new Commit(maya, wallet.version(), wallet.state(), List.of(),
            List.of(new IdempotencyRecord(key, "a request with \0 in it", "r", T0)), List.of(), Optional.empty()));

    List<Object> results = allAtOnce(List.of(
        () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0),
        () -> {
          try {
            return tx.attempt(maya, key, unstorable);
          } catch (InvalidRequestException e) {
            return e;
          }
        }));

    assertTrue(((Decision) results.get(0)).isAllowed());
    InvalidRequestException refused = assertInstanceOf(InvalidRequestException.class, results.get(1));
    assertTrue(refused.getMessage().contains("U+0000"), refused.getMessage());
    assertEquals(Optional.empty(), store.findRecord(maya, key));
    assertEquals(Credits.of(28), gate.status(maya, T0).available());
  }

  /**
   * A batch the database refuses on one call's data: which call is not known, so the batch's calls
   * decide again each alone, and only the call whose data it is fails.
   */
  @Test
  void aBatchTheDatabaseRefusesOnOneCallsDataFailsOnlyThatCall() throws Exception {
    try (AutoCloseable trigger = ledgerRefuses("NEW.operation = 'poison'")) {
      JdbcWalletStore store = batchesOf(3);
      CreditGate gate = CreditGate.builder(store).build();
      AccountId maya = open(gate, "maya");
      AccountId noah = open(gate, "noah");
      WalletTransaction tx = store.transaction().orElseThrow();
      IdempotencyKey key = IdempotencyKey.of("poison-1");
      Mutation<String> poisoned = poisoned(maya, key);

      List<Object> results = allAtOnce(List.of(
          () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0),
          () -> tx.attempt(maya, key, poisoned),
          () -> gate.charge(noah, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-2"), T0)));

      assertTrue(((Decision) results.get(0)).isAllowed(), "decided again, alone, and committed");
      assertEquals(Optional.empty(), results.get(1), "the batch wrote nothing: a lost race, decided again alone");
      assertTrue(((Decision) results.get(2)).isAllowed(), "decided again, alone, and committed");
      StoreFaultException fault = assertThrows(StoreFaultException.class, () -> tx.attempt(maya, key, poisoned));
      assertTrue(fault.getMessage().contains("poisoned"), fault.getMessage());
      assertEquals(Credits.of(28), gate.status(maya, T0).available());
      assertEquals(Credits.of(28), gate.status(noah, T0).available());
      assertEquals(Optional.empty(), store.findRecord(maya, key));
      assertEquals(0, groupCommit(store).markedToGoAlone(), "each call's next attempt took its mark");
    }
  }

  @Test
  void aCallThatGivesUpAfterItsBatchFailedLeavesAMarkThatLapses() throws Exception {
    try (AutoCloseable trigger = ledgerRefuses("NEW.operation = 'poison'")) {
      JdbcWalletStore store = batchesOf(2);
      CreditGate gate = CreditGate.builder(store).build();
      AccountId maya = open(gate, "maya");
      WalletTransaction tx = store.transaction().orElseThrow();
      IdempotencyKey key = IdempotencyKey.of("poison-1");
      Mutation<String> poisoned = poisoned(maya, key);
      long[] before = groupCommit(store).statistics();

      List<Object> results = allAtOnce(List.of(
          () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0),
          () -> tx.attempt(maya, key, poisoned))); // lost, and never tried again

      assertTrue(((Decision) results.get(0)).isAllowed(), "decided again, alone, and committed");
      assertEquals(Optional.empty(), results.get(1));
      assertEquals(1, groupCommit(store).statistics()[2] - before[2], "the batch failed as a whole");
      assertEquals(1, groupCommit(store).markedToGoAlone(), "the call that gave up is still marked");
      groupCommit(store).dropLapsedMarks(System.nanoTime() + GroupCommit.GOES_ALONE_NANOS / 2);
      assertEquals(1, groupCommit(store).markedToGoAlone(), "not lapsed yet");
      groupCommit(store).dropLapsedMarks(System.nanoTime() + GroupCommit.GOES_ALONE_NANOS + 1);
      assertEquals(0, groupCommit(store).markedToGoAlone(), "lapsed");
    }
  }

  @Test
  void anyFailureOfOneCallsOwnIsThatCallsAloneAndTheRestOfItsBatchCommits() throws Exception {
    JdbcWalletStore store = batchesOf(4);
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = open(gate, "maya");
    AccountId noah = open(gate, "noah");
    WalletTransaction tx = store.transaction().orElseThrow();
    AssertionError bug = new AssertionError("noah's own bug");
    Mutation<String> unencodable = (wallet, record) -> Mutation.Outcome.commit("written",
        new Commit(noah, wallet.version(), () -> "a state with \0 in it", List.of(), List.of(), List.of(),
            Optional.empty()));
    long[] before = groupCommit(store).statistics();
    long started = System.nanoTime();

    List<Object> results = allAtOnce(List.of(
        () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0),
        () -> caught(() -> tx.attempt(noah, IdempotencyKey.of("error"), (wallet, record) -> {
          throw bug;
        })),
        () -> caught(() -> tx.attempt(noah, IdempotencyKey.of("nothing"), (wallet, record) -> null)),
        () -> caught(() -> tx.attempt(noah, IdempotencyKey.of("nul"), unencodable))));

    assertTrue(((Decision) results.get(0)).isAllowed(), results.toString());
    assertEquals(bug, results.get(1), "an Error reaches its own caller, unchanged");
    assertInstanceOf(InvalidRequestException.class, results.get(2), "no outcome: refused");
    InvalidRequestException nul = assertInstanceOf(InvalidRequestException.class, results.get(3));
    assertTrue(nul.getMessage().contains("U+0000"), nul.getMessage());
    assertEquals(1, groupCommit(store).statistics()[0] - before[0], "the four were one batch");
    assertTrue(System.nanoTime() - started < GATHER.toNanos() / 2, "a full batch is written at once, not at the window's end");
    assertEquals(Credits.of(28), gate.status(maya, T0).available());
    assertEquals(Credits.of(30), gate.status(noah, T0).available());
  }

  /** Makes the ledger refuse (a check violation, 23514) every entry that {@code condition} holds of, until closed. */
  private static AutoCloseable ledgerRefuses(String condition) {
    TestDatabase db = TestDatabase.get();
    db.execute("CREATE FUNCTION " + SCHEMA + ".poison() RETURNS trigger AS $$ BEGIN"
        + " IF " + condition + " THEN RAISE EXCEPTION 'a poisoned entry' USING ERRCODE = '23514'; END IF;"
        + " RETURN NEW; END $$ LANGUAGE plpgsql");
    db.execute("CREATE TRIGGER poison BEFORE INSERT ON " + SCHEMA + ".creditgate_ledger FOR EACH ROW"
        + " EXECUTE FUNCTION " + SCHEMA + ".poison()");
    return () -> {
      db.execute("DROP TRIGGER poison ON " + SCHEMA + ".creditgate_ledger");
      db.execute("DROP FUNCTION " + SCHEMA + ".poison()");
    };
  }

  private static Object caught(Callable<Object> call) {
    try {
      return call.call();
    } catch (Throwable e) {
      return e;
    }
  }

  /**
   * What a call decided on its batch's uncommitted change of its wallet (here a denial after the
   * batch's charge took the last credits) holds only if the batch commits: when the database
   * refuses the batch's write, the call decides again and answers what is true.
   */
  @Test
  void anAnswerOrAFailureThatRestsOnABatchThatFailedIsDecidedAgain() throws Exception {
    try (AutoCloseable trigger = ledgerRefuses("NEW.idempotency_key = 'img-1'")) {
      // A batch closes with its second call, or 300 ms after its first.
      JdbcWalletStore store = TestDatabase.store(pool, SCHEMA).groupCommit(Duration.ofMillis(300), 2, false).build();
      CreditGate gate = CreditGate.builder(store).build();
      AccountId maya = open(gate, "maya");
      assertTrue(gate.charge(maya, Operation.GENERATE_IMAGE, 14, IdempotencyKey.of("setup"), T0).isAllowed());
      // 2 credits left: one image. img-1 comes first and takes them in the batch; img-2 follows
      // into the same batch and is denied on that uncommitted state; the database refuses img-1.
      Future<Object> first = threads.submit(() -> caught(
          () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0)));
      Thread.sleep(50);
      Object second = gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-2"), T0);

      assertInstanceOf(StoreFaultException.class, first.get(60, TimeUnit.SECONDS), "img-1's own refusal");
      assertTrue(((Decision) second).isAllowed(), "img-2 decided again on what was committed: " + second);
      assertEquals(Credits.ZERO, gate.status(maya, T0).available());
      assertEquals(Optional.empty(), store.findRecord(maya, IdempotencyKey.of("img-1")));

      // The same for a failure: a release decided after the batch's capture of its hold is
      // refused (the hold is no longer open); the capture is refused by the database, so the
      // release decides again, and releases the hold that is still open.
      IdempotencyKey hold = IdempotencyKey.of("hold-1");
      AccountId noah = open(gate, "noah");
      assertTrue(gate.reserve(noah, Operation.GENERATE_IMAGE, 1, hold, T0).isAllowed());
      Future<Object> capture = threads.submit(() -> caught(() -> gate.capture(noah, hold, 1,
          dev.creditgate.model.Outcome.succeeded(), IdempotencyKey.of("img-1"), T0)));
      Thread.sleep(50);
      Object release = caught(() -> gate.release(noah, hold, IdempotencyKey.of("release-1"), T0));

      assertInstanceOf(StoreFaultException.class, capture.get(60, TimeUnit.SECONDS), "the capture's own refusal");
      assertInstanceOf(dev.creditgate.HoldSettlement.class, release, "released, not refused: " + release);
      assertEquals(Credits.of(30), gate.status(noah, T0).available());
    }
  }

  @Test
  void batchesNeverHoldMoreThanTheirMostAndEveryCallIsAnswered() throws Exception {
    JdbcWalletStore store = TestDatabase.store(pool, SCHEMA).groupCommit(Duration.ofMillis(5), 2, false).build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = open(gate, "maya");
    long[] before = groupCommit(store).statistics();
    List<Callable<Decision>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      IdempotencyKey key = IdempotencyKey.of("img-" + i);
      calls.add(() -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, key, T0));
    }

    List<Decision> decisions = allAtOnce(calls);

    assertTrue(decisions.stream().allMatch(Decision::isAllowed), decisions.toString());
    long[] after = groupCommit(store).statistics();
    assertEquals(8, after[1] - before[1]);
    assertTrue(after[0] - before[0] >= 4, "8 calls in batches of at most 2: " + (after[0] - before[0]));
    assertEquals(Credits.of(14), gate.status(maya, T0).available());
  }

  @Test
  void aReserveAndItsCaptureInOneBatchLeaveTheWalletWithNoHoldToSweep() throws Exception {
    JdbcWalletStore store = batchesOf(2);
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = open(gate, "maya");
    IdempotencyKey hold = IdempotencyKey.of("hold-1");
    CountDownLatch reserved = new CountDownLatch(1);
    List<Object> results = allAtOnce(List.of(
        () -> {
          Decision d = gate.reserve(maya, Operation.GENERATE_IMAGE, 1, hold, T0);
          reserved.countDown();
          return d;
        },
        () -> gate.reserve(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("hold-2"), T0)));
    assertTrue(results.stream().allMatch(r -> ((Decision) r).isAllowed()));
    // Both holds open: the row names the earliest expiry; then both settled in one batch of two.
    assertTrue(store.accountsWithHoldsExpiredBy(Instant.MAX.minusSeconds(1), 10).contains(maya));
    allAtOnce(List.of(
        () -> gate.capture(maya, hold, 1, dev.creditgate.model.Outcome.succeeded(), IdempotencyKey.of("c-1"), T0),
        () -> gate.release(maya, IdempotencyKey.of("hold-2"), IdempotencyKey.of("r-2"), T0)));
    assertEquals(List.of(), store.accountsWithHoldsExpiredBy(Instant.MAX.minusSeconds(1), 10),
        "the wallet's last state has no hold: nothing to sweep");
    assertEquals(Credits.of(28), gate.status(maya, T0).available());
  }

  /**
   * The reply to a batch's COMMIT is lost after the commit landed: every call of the batch that
   * wrote hears that its outcome is unknown (never that nothing was written), and the gate, reading
   * each key's record, answers each call with its applied change, applied once.
   */
  @Test
  void aLostCommitReplyOfABatchLeavesEachWriterUnknownAndTheGateAnswersEachOnce() throws Exception {
    FaultyDataSource faulty = new FaultyDataSource(pool);
    JdbcWalletStore jdbc = TestDatabase.store(faulty, SCHEMA).groupCommit(Duration.ofMillis(500), 3, false).build();
    List<Throwable> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.creditgate.spi.WalletStore listening = new dev.creditgate.spi.ForwardingWalletStore(jdbc) {
      @Override
      public Optional<WalletTransaction> transaction() {
        WalletTransaction inner = jdbc.transaction().orElseThrow();
        return Optional.of(new WalletTransaction() {
          @Override
          public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
            try {
              return inner.attempt(account, key, mutation);
            } catch (RuntimeException e) {
              heard.add(e);
              throw e;
            }
          }
        });
      }
    };
    CreditGate gate = CreditGate.builder(listening).build();
    AccountId maya = open(gate, "maya");
    AccountId noah = open(gate, "noah");
    faulty.arm(2, FaultyDataSource.Fault.BREAK_AFTER_COMMIT, 1); // the batch's write, sent with its COMMIT

    List<Decision> decisions = allAtOnce(List.of(
        () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0),
        () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-2"), T0),
        () -> gate.charge(noah, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-3"), T0)));

    assertEquals(1, faulty.injectedCount());
    assertEquals(3, heard.size(), "each writer of the batch heard it: " + heard);
    assertTrue(heard.stream().allMatch(dev.creditgate.spi.CommitOutcomeUnknownException.class::isInstance), heard.toString());
    assertTrue(decisions.stream().allMatch(Decision::isAllowed), decisions.toString());
    assertEquals(Credits.of(26), gate.status(maya, T0).available(), "two charges, each once");
    assertEquals(Credits.of(28), gate.status(noah, T0).available());
    assertEquals(decisions.get(0), gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0));
  }

  @Test
  void aLoneCallWaitsForNoWindowAndRunsTheSingleCallsStatements() {
    StatementLog log = new StatementLog(pool);
    JdbcWalletStore store = TestDatabase.store(log, SCHEMA).groupCommit(Duration.ZERO).build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = open(gate, "maya");
    long[] before = groupCommit(store).statistics();
    log.clear();

    for (int i = 0; i < 5; i++) {
      assertTrue(gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-" + i), T0).isAllowed());
    }

    long[] after = groupCommit(store).statistics();
    assertEquals(5, after[0] - before[0], "each call alone is a batch of its own");
    assertEquals(Credits.of(20), gate.status(maya, T0).available());
    // A batch of one is written as a call alone: its locking read, then its one-entry write.
    List<String> sent = log.sent().stream().map(StatementLog.Sent::sql).toList();
    assertTrue(sent.stream().noneMatch(sql -> sql.contains("ANY (")), sent.toString());
    assertEquals(5, sent.stream().filter(sql -> sql.startsWith(new Statements(SCHEMA).walletLock + ";"))
        .count(), sent.toString());
  }

  @Test
  void theBuilderRefusesAWindowOutOfRangeAndTheOptimisticMode() {
    JdbcWalletStore.Builder builder = TestDatabase.store(pool, SCHEMA);
    InvalidRequestException negative = assertThrows(InvalidRequestException.class,
        () -> builder.groupCommit(Duration.ofNanos(-1)));
    assertTrue(negative.getMessage().contains("PT-0.000000001S"), negative.getMessage());
    InvalidRequestException tooLong = assertThrows(InvalidRequestException.class,
        () -> builder.groupCommit(Duration.ofMillis(100).plusNanos(1)));
    assertTrue(tooLong.getMessage().contains("PT0.100000001S"), tooLong.getMessage());
    assertThrows(InvalidRequestException.class, () -> builder.groupCommit(null));
    assertEquals(Optional.of(Duration.ofMillis(100)), builder.groupCommit(Duration.ofMillis(100)).build().groupCommit());
    assertEquals(Optional.empty(), TestDatabase.store(pool, SCHEMA).build().groupCommit());
    InvalidRequestException optimistic = assertThrows(InvalidRequestException.class,
        () -> TestDatabase.store(pool, SCHEMA).groupCommit(Duration.ZERO).locking(JdbcWalletStore.Locking.OPTIMISTIC)
            .build());
    assertTrue(optimistic.getMessage().contains("OPTIMISTIC"), optimistic.getMessage());
  }

  /** A mutation of {@code account} whose one ledger entry the trigger of {@link #ledgerRefuses} refuses. */
  private static Mutation<String> poisoned(AccountId account, IdempotencyKey key) {
    return (wallet, record) -> Mutation.Outcome.commit("written",
        new Commit(account, wallet.version(), wallet.state(),
            List.of(new LedgerEntry(account, T0, LedgerEntry.Kind.DEBIT, "free", Credits.ZERO, "poison",
                key.value())),
            List.of(new IdempotencyRecord(key, "q", "r", T0)), List.of(), Optional.empty()));
  }
}
