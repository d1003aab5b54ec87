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
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.CommitOutcomeUnknownException;
import dev.creditgate.spi.RetryPolicy;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.StoreException;
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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Breaks the connection, or makes a statement fail, at each statement of a charge's transaction in
 * turn, and checks that the wallet, its ledger and its records are exactly as before, and that
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
   * A charge runs 2 statements in either mode, each one round trip: read the wallet and the key's
   * record (locking the wallet, or not); write the wallet, its ledger entries and the key in one
   * statement sent together with the COMMIT (so the last statement is the commit).
   */
  private static final int STATEMENTS = 2;
  /**
   * After a call whose commit may have landed, the gate delivers the account's events, if any: a
   * transaction of 2 statements (the lock with the read; its commit, when there is nothing to mark).
   */
  private static final int DELIVERY = 2;
  /** The store's budget for the gate: 5 attempts, whatever failed, with a deadline never reached. */
  private static final int GATE_TRIES = 5;
  private static final RetryPolicy BUDGET = new RetryPolicy(GATE_TRIES, Duration.ofSeconds(60));

  private final TestDatabase db = TestDatabase.get();
  private static TestPool pool;
  private JdbcWalletStore healthy;
  private FaultyDataSource faulty;

  @BeforeAll
  static void schema() {
    TestDatabase.get().recreate(SCHEMA);
    pool = TestDatabase.get().pool(2);
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @BeforeEach
  void openWallet() {
    db.truncate(SCHEMA);
    healthy = TestDatabase.store(pool, SCHEMA).build();
    faulty = new FaultyDataSource(db.unpooled());
    CreditGate setup = CreditGate.builder(healthy).build();
    setup.openWallet(MAYA, ZONE, T0);
    setup.topUp(MAYA, "small", IdempotencyKey.of("pay-1"), T0);
  }

  private JdbcWalletStore store(JdbcWalletStore.Locking locking) {
    JdbcWalletStore store = TestDatabase.store(faulty, SCHEMA).locking(locking).retryPolicy(BUDGET).build();
    store.verifySchema();
    return store;
  }

  private CreditGate gate(JdbcWalletStore.Locking locking) {
    return CreditGate.builder(store(locking)).build();
  }

  /** The statements the faulty DataSource saw since its calls were last cleared. */
  private List<String> statements() {
    return faulty.calls().stream().filter(c -> c.matches(
        ".*\\.(execute|executeQuery|executeUpdate|executeBatch|executeLargeUpdate|commit)(\\(.*)?")).toList();
  }

  /** The tests below inject a fault at each statement in turn: a charge must have no others. */
  @ParameterizedTest
  @EnumSource(JdbcWalletStore.Locking.class)
  void aChargeRunsExactlyTheStatementsThatGetFaults(JdbcWalletStore.Locking locking) {
    CreditGate gate = gate(locking);
    faulty.calls().clear();

    assertTrue(gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0).isAllowed());

    assertEquals(STATEMENTS, statements().size(), faulty.calls().toString());
  }

  @ParameterizedTest
  @EnumSource(JdbcWalletStore.Locking.class)
  void aFaultThatPersistsFailsTheCallAndLeavesEverythingAsItWas(JdbcWalletStore.Locking locking) {
    CreditGate gate = gate(locking);
    int round = 0;
    for (Fault fault : List.of(Fault.BREAK_CONNECTION, Fault.SERIALIZATION_FAILURE, Fault.INTERNAL_ERROR)) {
      for (int nth = 1; nth <= STATEMENTS; nth++) {
        String where = fault + " at statement " + nth + " (" + locking + ")";
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
            // Retry-safe (nothing was written), so the gate tries it again; the store never does.
            assertEquals(StoreException.class, e.getClass(), where);
            assertTrue(e.isRetrySafe(), where);
            assertEquals(GATE_TRIES, attempts, "the gate's budget, once: " + where);
          }
        }
        assertEquals(before, state(key), "partially written: " + where);
        assertChargedOnceOnRetry(gate, key, before, where);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(JdbcWalletStore.Locking.class)
  void aTransientFaultIsRetriedWithinTheCall(JdbcWalletStore.Locking locking) {
    CreditGate gate = gate(locking);
    int round = 0;
    for (Fault fault : List.of(Fault.BREAK_CONNECTION, Fault.SERIALIZATION_FAILURE, Fault.INTERNAL_ERROR)) {
      for (int nth = 1; nth <= STATEMENTS; nth++) {
        String where = fault + " once at statement " + nth + " (" + locking + ")";
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
  @EnumSource(JdbcWalletStore.Locking.class)
  void aConnectionLostJustAfterTheCommitLandedReplaysTheFirstAnswer(JdbcWalletStore.Locking locking) {
    CreditGate gate = gate(locking);
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
    JdbcWalletStore jdbc = store(JdbcWalletStore.Locking.ROW_LOCK);
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
