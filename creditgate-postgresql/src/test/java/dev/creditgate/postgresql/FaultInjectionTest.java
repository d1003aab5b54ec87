package dev.creditgate.postgresql;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.WalletStatus;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.CommitOutcomeUnknownException;
import dev.creditgate.spi.RetryPolicy;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.StoreException;
import dev.creditgate.testkit.RecordingSink;
import dev.creditgate.spi.StoreFaultException;
import dev.creditgate.spi.StoreUnavailableException;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.postgresql.FaultyDataSource.Fault;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Breaks the connection, or makes a statement fail, at each statement of a call in turn (a
 * charge's transaction in detail; then every call of the gate: open, charge, top up, reserve,
 * capture, release, both refunds, plan change, the hold sweep and the replay), and checks that the
 * wallet, its ledger and its records are exactly as before or as after one application, and that
 * the same call, repeated with the same key, is applied exactly once.
 *
 * <p>The store runs every call once; every retry here is the gate's, within the store's one
 * budget of {@link #GATE_TRIES} attempts: a serialization failure is a lost race (decided again),
 * any other retry-safe failure is tried again. A connection that breaks in the statement that
 * commits may have lost the reply to a commit that landed: the store says so
 * ({@link CommitOutcomeUnknownException}), and the gate reads the key's record before it tries
 * again.
 */
class FaultInjectionTest {
  private static final String SCHEMA = "creditgate_faults";
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId MAYA = AccountId.of("maya");
  /**
   * After a call whose commit may have landed, the gate delivers the account's events, if any: a
   * transaction of 2 statements (the lock with the read; its commit, when there is nothing to
   * mark), then a look for events committed while the lock was held (1 more, on a connection of
   * its own).
   */
  private static final int DELIVERY = 3;
  /**
   * A charge runs 2 statements in every shape, each one round trip: read the wallet and the key's
   * record (locking the wallet, or not; a group commit locks its wallets and reads its records in
   * two statements sent together); write the wallet, its ledger entries and the key in one
   * statement sent together with the COMMIT (so the last statement is the commit).
   */
  private static final int STATEMENTS = 2;
  /** The store's budget for the gate: 5 attempts, whatever failed, with a deadline never reached. */
  private static final int GATE_TRIES = 5;
  private static final RetryPolicy BUDGET = new RetryPolicy(GATE_TRIES, Duration.ofSeconds(60));

  private final TestDatabase db = TestDatabase.get();
  private static TestPool pool;
  /** The connections the faulty DataSource breaks: a broken one goes back, rolled back, as a server would. */
  private static TestPool faultyPool;
  private JdbcWalletStore healthy;
  private FaultyDataSource faulty;

  @BeforeAll
  static void schema() {
    TestDatabase.get().recreate(SCHEMA);
    pool = TestDatabase.get().pool(2);
    faultyPool = TestDatabase.get().pool(4);
  }

  @AfterAll
  static void closePool() {
    pool.close();
    faultyPool.close();
  }

  @BeforeEach
  void openWallet() {
    db.truncate(SCHEMA);
    healthy = TestDatabase.store(pool, SCHEMA).build();
    faulty = new FaultyDataSource(faultyPool);
    CreditGate setup = CreditGate.builder(healthy).build();
    setup.openWallet(MAYA, ZONE, T0);
    setup.topUp(MAYA, "small", IdempotencyKey.of("pay-1"), T0);
  }

  private JdbcWalletStore store(Shape shape) {
    JdbcWalletStore store = shape.configure(TestDatabase.store(faulty, SCHEMA)).retryPolicy(BUDGET).build();
    store.verifySchema();
    return store;
  }

  private CreditGate gate(Shape shape) {
    return CreditGate.builder(store(shape)).build();
  }

  /** The statements the faulty DataSource saw since its calls were last cleared. */
  private List<String> statements() {
    return faulty.calls().stream().filter(c -> c.matches(
        ".*\\.(execute|executeQuery|executeUpdate|executeBatch|executeLargeUpdate|commit)(\\(.*)?")).toList();
  }

  /** The tests below inject a fault at each statement in turn: a charge must have no others. */
  @ParameterizedTest
  @EnumSource(Shape.class)
  void aChargeRunsExactlyTheStatementsThatGetFaults(Shape shape) {
    CreditGate gate = gate(shape);
    faulty.calls().clear();

    assertTrue(gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0).isAllowed());

    assertEquals(STATEMENTS, statements().size(), faulty.calls().toString());
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aFaultThatPersistsFailsTheCallAndLeavesEverythingAsItWas(Shape shape) {
    CreditGate gate = gate(shape);
    int round = 0;
    for (Fault fault : List.of(Fault.BREAK_CONNECTION, Fault.SERIALIZATION_FAILURE, Fault.INTERNAL_ERROR)) {
      for (int nth = 1; nth <= STATEMENTS; nth++) {
        String where = fault + " at statement " + nth + " (" + shape + ")";
        IdempotencyKey key = IdempotencyKey.of("img-" + round++);
        State before = state(key);
        int injectedBefore = faulty.injectedCount();
        faulty.arm(nth, fault, 1_000);
        StoreException e = assertThrows(StoreException.class,
            () -> gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key, T0), where);
        faulty.disarm();
        int attempts = faulty.injectedCount() - injectedBefore;
        switch (fault) {
          case BREAK_CONNECTION -> {
            if (nth == STATEMENTS) {
              // The write and its COMMIT were under way: it may have landed, as far as anyone knows.
              assertInstanceOf(CommitOutcomeUnknownException.class, e, where);
              assertFalse(e.getMessage().contains("nothing was written"), e.getMessage());
            } else {
              assertInstanceOf(StoreUnavailableException.class, e, where);
            }
            assertEquals(GATE_TRIES, attempts, "the gate's budget, once: " + where);
            assertEquals(GATE_TRIES - 1, e.getSuppressed().length, where);
          }
          case SERIALIZATION_FAILURE -> {
            // Nothing was written: a lost race, decided again within the same budget.
            assertEquals(StoreException.class, e.getClass(), where);
            assertTrue(e.getMessage().contains("contended"), e.getMessage());
            assertEquals(GATE_TRIES, attempts, "the gate's budget, once: " + where);
          }
          default -> {
            // An internal error: retrying cannot fix it, the message says so, and nobody retries it.
            assertInstanceOf(StoreFaultException.class, e, where);
            assertTrue(e.getMessage().contains("retrying cannot fix"), e.getMessage());
            assertEquals(1, attempts, "tried once: " + where);
          }
        }
        assertEquals(before, state(key), "partially written: " + where);
        assertChargedOnceOnRetry(gate, key, before, where);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aTransientFaultIsRetriedWithinTheCall(Shape shape) {
    CreditGate gate = gate(shape);
    int round = 0;
    for (Fault fault : List.of(Fault.BREAK_CONNECTION, Fault.SERIALIZATION_FAILURE)) {
      for (int nth = 1; nth <= STATEMENTS; nth++) {
        String where = fault + " once at statement " + nth + " (" + shape + ")";
        IdempotencyKey key = IdempotencyKey.of("img-" + round++);
        State before = state(key);
        faulty.calls().clear();
        int injectedBefore = faulty.injectedCount();
        faulty.arm(nth, fault, 1);
        Decision d = gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key, T0);
        faulty.disarm();
        assertTrue(d.isAllowed(), where);
        assertEquals(1, faulty.injectedCount() - injectedBefore, where);
        // The failed attempt ran up to its nth statement, once; the gate's second attempt all of
        // them, after reading the key's record if the first broke in its commit.
        int resolved = fault == Fault.BREAK_CONNECTION && nth == STATEMENTS ? 1 + DELIVERY : 0;
        assertEquals(nth + resolved + STATEMENTS, statements().size(), where + ": " + faulty.calls());
        assertChargedOnce(key, before, where);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aConnectionLostJustAfterTheCommitLandedReplaysTheFirstAnswer(Shape shape) {
    CreditGate gate = gate(shape);
    IdempotencyKey key = IdempotencyKey.of("img-1");
    State before = state(key);
    faulty.calls().clear();
    faulty.arm(STATEMENTS, Fault.BREAK_AFTER_COMMIT, 1); // the commit is the last statement

    Decision d = gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key, T0);

    assertEquals(1, faulty.injectedCount());
    // The store threw CommitOutcomeUnknownException once the write landed; the gate read the key's
    // record (one statement), answered from it and delivered the account's events (none).
    assertEquals(STATEMENTS + 1 + DELIVERY, statements().size(), faulty.calls().toString());
    assertTrue(d.isAllowed());
    assertEquals(before.available().minus(Credits.of(2)), d.balanceAfter());
    assertChargedOnce(key, before, "commit landed, connection lost");
    assertEquals(d, gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key, T0));
    assertChargedOnce(key, before, "commit landed, connection lost, then repeated");
  }

  /**
   * The gate on the conditional path (a store that offers no transaction): the conditional commit's
   * connection breaks once the commit landed. The store says the outcome is unknown, and the gate
   * reads the record and answers from it.
   */
  @Test
  void aConnectionLostJustAfterAConditionalCommitLandedReplaysTheFirstAnswer() {
    JdbcWalletStore jdbc = store(Shape.WALLET_LOCK);
    AtomicBoolean armed = new AtomicBoolean();
    WalletStore commitOnly = new ForwardingWalletStore(jdbc) {
      @Override
      public boolean commit(Commit commit) {
        if (armed.compareAndSet(false, true)) {
          faulty.arm(1, Fault.BREAK_AFTER_COMMIT, 1); // the commit is its connection's one statement
        }
        return super.commit(commit);
      }

      @Override
      public Optional<WalletTransaction> transaction() {
        return Optional.empty();
      }
    };
    CreditGate gate = CreditGate.builder(commitOnly).build();
    IdempotencyKey key = IdempotencyKey.of("img-1");
    State before = state(key);

    Decision d = gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key, T0);

    assertEquals(1, faulty.injectedCount());
    assertTrue(d.isAllowed());
    assertEquals(before.available().minus(Credits.of(2)), d.balanceAfter());
    assertChargedOnce(key, before, "conditional commit landed, connection lost");
    assertEquals(d, gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key, T0));
    assertChargedOnce(key, before, "conditional commit landed, connection lost, then repeated");
  }

  // ------------------------------------------------------------------------- every mutation

  /** What a call needs before it runs, on a fresh wallet of {@code account} or none. */
  @FunctionalInterface
  private interface Setup {
    void prepare(CreditGate gate, AccountId account);
  }

  /** The call under test; {@code key} is its idempotency key (or payment id), if it takes one. */
  @FunctionalInterface
  private interface Call {
    Object run(CreditGate gate, AccountId account, IdempotencyKey key);
  }

  /**
   * One of the gate's calls, with what it needs first. A {@code counted} call answers how many
   * wallets it changed, so a repeat answers 0 instead of the first answer; a call that {@code locks}
   * runs in the store's transaction, whose lock mode matters.
   */
  private record Case(String name, Setup setup, Call call, boolean counted, boolean locks) {
    Case(String name, Setup setup, Call call) {
      this(name, setup, call, false, true);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final Instant T1 = T0.plusSeconds(60);
  private static final Instant SWEEP_AT = T0.plus(java.time.Duration.ofHours(1));
  private static final IdempotencyKey PAYMENT = IdempotencyKey.of("pay-1");
  private static final IdempotencyKey HOLD = IdempotencyKey.of("hold-1");
  private static final IdempotencyKey CHARGE = IdempotencyKey.of("img-0");

  private static Setup opened(Setup then) {
    return (gate, account) -> {
      gate.openWallet(account, ZONE, T0);
      gate.topUp(account, "small", PAYMENT, T0);
      then.prepare(gate, account);
    };
  }

  static List<Arguments> everyCall() {
    Setup nothing = (gate, account) -> { };
    Setup held = (gate, account) -> gate.reserve(account, Operation.GENERATE_IMAGE, 1, HOLD, T0);
    Setup charged = (gate, account) -> gate.charge(account, Operation.GENERATE_IMAGE, 1, CHARGE, T0);
    List<Case> cases = List.of(
        new Case("open", nothing, (gate, account, key) -> gate.openWallet(account, ZONE, T0), false, false),
        new Case("charge", opened(nothing),
            (gate, account, key) -> gate.charge(account, Operation.GENERATE_IMAGE, 1, key, T1)),
        new Case("top up", opened(nothing), (gate, account, key) -> gate.topUp(account, "small", key, T1)),
        new Case("reserve", opened(nothing),
            (gate, account, key) -> gate.reserve(account, Operation.GENERATE_IMAGE, 1, key, T1)),
        new Case("capture", opened(held),
            (gate, account, key) -> gate.capture(account, HOLD, 1, Outcome.succeeded(), key, T1)),
        new Case("release", opened(held), (gate, account, key) -> gate.release(account, HOLD, key, T1)),
        new Case("refund a pack", opened(nothing),
            (gate, account, key) -> gate.refundPack(account, PAYMENT, Credits.of(10), key, T1)),
        new Case("refund a charge", opened(charged),
            (gate, account, key) -> gate.refundCharge(account, CHARGE, Credits.of(2), key, T1)),
        new Case("change plan", opened(nothing), (gate, account, key) -> gate.changePlan(account, "pro", key, T1)),
        new Case("hold sweep", opened(held), (gate, account, key) -> gate.expireHolds(SWEEP_AT), true, true),
        new Case("replay", opened(charged), (gate, account, key) -> gate.replay(account), false, false));
    List<Arguments> all = new ArrayList<>();
    for (Case c : cases) {
      // Opening (a conditional commit) and the replay (a read) take no lock: one shape is enough.
      for (Shape shape : Shape.values()) {
        if (c.locks() || shape == Shape.WALLET_LOCK) {
          all.add(Arguments.of(c, shape));
        }
      }
    }
    return all;
  }

  /**
   * Each call of the gate, with each fault once at each statement of each connection it uses in
   * turn, and a broken connection at its last statement for as long as the gate tries: whether the
   * call failed or not, the wallet, its ledger and the key's record are as before it or as after
   * exactly one application, never anything else; the call tried again (and repeated) with the
   * same key applies it exactly once, as the same call applies it once on a healthy twin wallet,
   * and every answer is the first one.
   */
  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("everyCall")
  void everyCallWithAFaultAtAnyStatementLeavesAllOrNothingAndAppliesOnceOnRetry(Case c, Shape shape) {
    CreditGate gate = gate(shape);
    RecordingSink events = new RecordingSink();
    CreditGate twin = CreditGate.builder(healthy).eventSink(events).build();
    IdempotencyKey key = IdempotencyKey.of("call-1");
    c.setup().prepare(twin, NOAH);
    events.clear();
    Object expected = c.call().run(twin, NOAH, key);
    Snapshot once = snapshot(NOAH, key);
    // A call whose change has events hands them to the sink on two more connections after its
    // commit (the delivery, and a look for events committed meanwhile): a failure there never
    // fails the call.
    int delivery = events.size() > 0 ? 2 : 0;

    int round = 0;
    List<Integer> statements = scenario(c, gate, key, expected, once, AccountId.of("maya-" + round++), null, 0, 0, 0);
    assertFalse(statements.isEmpty(), c.name());
    for (int connection = 0; connection < statements.size(); connection++) {
      for (int nth = 1; nth <= statements.get(connection); nth++) {
        for (Fault fault : Fault.values()) {
          scenario(c, gate, key, expected, once, AccountId.of("maya-" + round++), fault, connection, nth, 1);
        }
      }
    }
    int last = statements.size() - 1 - delivery;
    // On every connection from then on: after a break in its commit the gate also reads the key's
    // record, on a connection of its own, before it tries again.
    scenario(c, gate, key, expected, once, AccountId.of("maya-" + round++), Fault.BREAK_CONNECTION, last,
        statements.get(last), 1_000);
  }

  /**
   * One scenario on the fresh wallet of {@code account}: the call with {@code fault} (none if null)
   * at the {@code nth} statement of its {@code connection}th connection (from 0), for
   * {@code times} connections, then again, then once more. Answers the statements each connection
   * of the faulty call ran.
   */
  private List<Integer> scenario(Case c, CreditGate gate, IdempotencyKey key, Object expected, Snapshot once,
      AccountId account, Fault fault, int connection, int nth, int times) {
    String where = c.name() + ": " + (fault == null ? "no fault" : fault + " at statement " + nth + " of connection "
        + (connection + 1) + (times > 1 ? ", " + times + " times" : ", once"));
    c.setup().prepare(CreditGate.builder(healthy).build(), account);
    Snapshot before = snapshot(account, key);

    faulty.clearStatementCounts();
    if (fault != null) {
      faulty.arm(connection, nth, fault, times);
    }
    Object first = null;
    StoreException failure = null;
    try {
      first = c.call().run(gate, account, key);
    } catch (StoreException e) {
      failure = e;
    } finally {
      faulty.disarm();
    }
    List<Integer> statements = faulty.statementsPerConnection();
    Snapshot between = snapshot(account, key);
    assertTrue(between.sameAs(before) || between.sameAs(once),
        "neither as before nor applied once: " + where + (failure == null ? "" : " (" + failure + ")")
            + "\nbefore " + before + "\nbetween " + between + "\nonce " + once);
    if (fault == null || times > 1 && !c.counted()) {
      // No fault must fail; a fault the gate kept meeting must fail the call, unless the call
      // (the sweep) skips what it cannot change.
      assertEquals(fault != null, failure != null, where + ": " + failure);
    }

    Object retried = c.call().run(gate, account, key);
    Object repeated = c.call().run(gate, account, key);

    Snapshot after = snapshot(account, key);
    assertTrue(after.sameAs(once), "not applied exactly once: " + where + "\nafter " + after + "\nonce " + once);
    if (c.counted()) {
      int later = (Integer) retried + (Integer) repeated;
      if (failure != null) {
        // A sweep that failed counted nothing: what it changed before it failed stays changed,
        // and the calls after it count only the rest.
        assertEquals(between.sameAs(before) ? expected : 0, later, "wallets changed after it failed: " + where);
      } else {
        assertEquals(expected, (Integer) first + later, "wallets changed in all: " + where);
      }
    } else {
      if (first != null) {
        assertEquals(first, retried, "the retry answers the first answer: " + where);
      }
      assertEquals(retried, repeated, "the repeat answers the first answer: " + where);
    }
    return statements;
  }

  private static final AccountId NOAH = AccountId.of("noah");

  /** What a call may change: the wallet, its ledger, its status and the call's record. */
  private record Snapshot(Optional<StoredWallet> wallet, List<LedgerEntry> ledger, Optional<WalletStatus> status,
      Optional<IdempotencyRecord> record) {
    /** The same as {@code other}, the other account's: each account's name aside. */
    boolean sameAs(Snapshot other) {
      return wallet.map(StoredWallet::version).equals(other.wallet.map(StoredWallet::version))
          && ledger.stream().map(Snapshot::entry).toList().equals(other.ledger.stream().map(Snapshot::entry).toList())
          && status.map(Snapshot::status).equals(other.status.map(Snapshot::status))
          && record.map(r -> List.of(r.key(), r.at())).equals(other.record.map(r -> List.of(r.key(), r.at())));
    }

    private static List<Object> entry(LedgerEntry e) {
      return List.of(e.at(), e.kind(), e.grant(), e.amount(), e.operation(), e.key());
    }

    private static String status(WalletStatus s) {
      return s.toString().replace("account=" + s.account(), "account=");
    }
  }

  private Snapshot snapshot(AccountId account, IdempotencyKey key) {
    Optional<StoredWallet> wallet = healthy.load(account);
    List<LedgerEntry> ledger = new ArrayList<>();
    try (Stream<LedgerEntry> read = healthy.readLedger(account, Instant.EPOCH, Instant.MAX)) {
      read.forEachOrdered(ledger::add);
    }
    Optional<WalletStatus> status = wallet.map(w -> CreditGate.builder(healthy).build().status(account, T1));
    return new Snapshot(wallet, ledger, status, healthy.findRecord(account, key));
  }

  private void assertChargedOnceOnRetry(CreditGate gate, IdempotencyKey key, State before, String where) {
    Decision retried = gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key, T0);
    assertTrue(retried.isAllowed(), where);
    assertEquals(retried, gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key, T0), where);
    assertChargedOnce(key, before, where);
  }

  private void assertChargedOnce(IdempotencyKey key, State before, String where) {
    State after = state(key);
    assertEquals(before.wallet().version() + 1, after.wallet().version(), where);
    assertEquals(before.available().minus(Credits.of(2)), after.available(), where);
    List<LedgerEntry> added = after.ledger().subList(before.ledger().size(), after.ledger().size());
    assertTrue(!added.isEmpty() && added.stream().allMatch(e -> e.key().equals(key.value())), where + ": " + added);
    assertEquals(Credits.of(-2), added.stream().map(LedgerEntry::amount).reduce(Credits.ZERO, Credits::plus), where);
    assertTrue(after.record().isPresent(), where);
  }

  private record State(StoredWallet wallet, Credits available, List<LedgerEntry> ledger,
      Optional<IdempotencyRecord> record) {}

  private State state(IdempotencyKey key) {
    List<LedgerEntry> ledger = new ArrayList<>();
    try (Stream<LedgerEntry> read = healthy.readLedger(MAYA, Instant.EPOCH, Instant.MAX)) {
      read.forEachOrdered(ledger::add);
    }
    return new State(healthy.load(MAYA).orElseThrow(), CreditGate.builder(healthy).build().status(MAYA, T0).available(),
        ledger, healthy.findRecord(MAYA, key));
  }
}
