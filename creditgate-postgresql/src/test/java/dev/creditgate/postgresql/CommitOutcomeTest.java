package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.TopUp;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.postgresql.FaultyDataSource.Fault;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.CommitOutcomeUnknownException;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.OutboxEvent;
import dev.creditgate.spi.RetryPolicy;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoreFaultException;
import dev.creditgate.spi.StoreUnavailableException;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.testkit.RecordingSink;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Truthful commit failures: a connection that breaks while the statement that commits a change is
 * under way may have lost the reply to a commit that landed, so the store throws
 * {@link CommitOutcomeUnknownException}, never a failure that says nothing was written; the gate
 * then answers from the key's record, or, if it cannot read it within its budget, says the outcome
 * is unknown too. A failure before that statement was sent stays a plain failure.
 */
class CommitOutcomeTest {
  private static final String SCHEMA = "creditgate_outcome";
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId MAYA = AccountId.of("maya");
  private static final IdempotencyKey PAY = IdempotencyKey.of("pay-1");
  /** A charge or a top-up is 2 statements: the read, then the write that carries the COMMIT. */
  private static final int WRITE = 2;
  private static final RetryPolicy BUDGET = new RetryPolicy(4, Duration.ofSeconds(60));

  private static TestPool pool;
  private final TestDatabase db = TestDatabase.get();
  private JdbcWalletStore healthy;
  private FaultyDataSource faulty;

  /**
   * The shapes a gate writes in: the store's transaction in either lock mode or with group commit,
   * or the conditional commit.
   */
  enum GateShape {
    WALLET_LOCK(Shape.WALLET_LOCK), OPTIMISTIC(Shape.OPTIMISTIC), GROUP_COMMIT(Shape.GROUP_COMMIT), CONDITIONAL(Shape.WALLET_LOCK);

    /** The store's shape beneath. */
    final Shape store;

    GateShape(Shape store) {
      this.store = store;
    }
  }

  @BeforeAll
  static void schema() {
    TestDatabase.get().recreate(SCHEMA);
    pool = TestDatabase.get().pool(2);
  }

  @AfterAll
  static void dropSchema() {
    pool.close();
    TestDatabase.get().drop(SCHEMA);
  }

  @BeforeEach
  void openWallet() {
    db.truncate(SCHEMA);
    healthy = TestDatabase.store(pool, SCHEMA).build();
    faulty = new FaultyDataSource(db.unpooled());
    CreditGate.builder(healthy).build().openWallet(MAYA, ZONE, T0);
  }

  private JdbcWalletStore faultyStore(Shape shape, javax.sql.DataSource ds) {
    JdbcWalletStore store = shape.configure(TestDatabase.store(ds, SCHEMA)).retryPolicy(BUDGET).build();
    store.verifySchema();
    return store;
  }

  /**
   * The gate's store for {@code shape}, whose next commit breaks its connection once the database
   * committed: the statement that commits is the transaction's second, or the conditional
   * commit's only one, armed as it starts (the gate reads on connections of their own before). With
   * group commit, a batch's first statement locks and reads, and its second writes and commits.
   */
  private WalletStore breakingAfterTheNextCommit(GateShape shape, javax.sql.DataSource ds) {
    JdbcWalletStore jdbc = faultyStore(shape.store, ds);
    if (shape != GateShape.CONDITIONAL) {
      faulty.arm(WRITE, Fault.BREAK_AFTER_COMMIT, 1);
      return jdbc;
    }
    AtomicBoolean armed = new AtomicBoolean();
    return new ForwardingWalletStore(jdbc) {
      @Override
      public boolean commit(Commit commit) {
        if (armed.compareAndSet(false, true)) {
          faulty.arm(1, Fault.BREAK_AFTER_COMMIT, 1);
        }
        return super.commit(commit);
      }

      @Override
      public Optional<WalletTransaction> transaction() {
        return Optional.empty();
      }
    };
  }

  /** Maya's top-up with the key {@link #PAY}, committed from her stored version, with one event. */
  private Commit topUpCommit(long version) {
    Scratch toppedUp = new Scratch(MAYA, ZONE, T0).toppedUp("pay-1", T0);
    LedgerEntry grant = new LedgerEntry(MAYA, T0, LedgerEntry.Kind.GRANT, "pack:pay-1", Credits.of(100), "top-up",
        PAY.value());
    return new Commit(MAYA, version, toppedUp.state(), List.of(grant),
        List.of(new IdempotencyRecord(PAY, "top-up", "granted", T0)),
        List.of(OutboxEvent.ofEncoded(new EventId(MAYA, version + 1), "e1;granted")), Optional.empty());
  }

  private static void assertUnknownOutcome(StoreException e) {
    CommitOutcomeUnknownException unknown = assertInstanceOf(CommitOutcomeUnknownException.class, e);
    assertEquals(MAYA, unknown.account());
    assertTrue(e.isRetrySafe());
    assertTrue(e.getMessage().contains("may have been applied"), e.getMessage());
    assertTrue(e.getMessage().contains("repeating the call with the same key is safe"), e.getMessage());
    assertFalse(e.getMessage().contains("nothing was written"), e.getMessage());
    assertFalse(e.getMessage().contains("nothing was partially written"), e.getMessage());
  }

  /** The change of {@link #topUpCommit} is wholly there: wallet, ledger entry, record and event. */
  private void assertLanded(long versionBefore) {
    assertEquals(versionBefore + 1, healthy.load(MAYA).orElseThrow().version());
    assertTrue(healthy.findRecord(MAYA, PAY).isPresent());
    assertTrue(ledger().stream().anyMatch(e -> e.key().equals(PAY.value())));
    List<EventId> waiting = new java.util.ArrayList<>();
    healthy.deliverEvents(MAYA, events -> {
      events.forEach(e -> waiting.add(e.id()));
      return events.size();
    }, 100);
    assertEquals(List.of(new EventId(MAYA, versionBefore + 1)), waiting);
  }

  private void assertNothingWritten(long versionBefore) {
    assertEquals(versionBefore, healthy.load(MAYA).orElseThrow().version());
    assertEquals(Optional.empty(), healthy.findRecord(MAYA, PAY));
    assertTrue(ledger().stream().noneMatch(e -> e.key().equals(PAY.value())));
  }

  private List<LedgerEntry> ledger() {
    try (Stream<LedgerEntry> read = healthy.readLedger(MAYA, Instant.MIN, Instant.MAX)) {
      return read.toList();
    }
  }

  // ------------------------------------------------------------------------------ the store

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aConnectionLostWhileTheAttemptCommitsIsAnUnknownOutcomeAndTheChangeLanded(Shape shape) {
    WalletTransaction transaction = faultyStore(shape, faulty).transaction().orElseThrow();
    long before = healthy.load(MAYA).orElseThrow().version();
    faulty.arm(WRITE, Fault.BREAK_AFTER_COMMIT, 1);

    StoreException e = assertThrows(StoreException.class, () -> transaction.attempt(MAYA, PAY,
        (stored, recorded) -> Mutation.Outcome.commit("granted", topUpCommit(stored.version()))));

    assertEquals(1, faulty.injectedCount());
    assertUnknownOutcome(e);
    assertLanded(before);
  }

  @Test
  void aConnectionLostWhileTheConditionalCommitCommitsIsAnUnknownOutcomeAndTheChangeLanded() {
    JdbcWalletStore store = faultyStore(Shape.WALLET_LOCK, faulty);
    long before = healthy.load(MAYA).orElseThrow().version();
    faulty.arm(1, Fault.BREAK_AFTER_COMMIT, 1);

    StoreException e = assertThrows(StoreException.class, () -> store.commit(topUpCommit(before)));

    assertUnknownOutcome(e);
    assertLanded(before);
  }

  /**
   * The store cannot tell a connection that broke before the server took the statement from one
   * that lost the reply: that too is an unknown outcome, although (as the record then shows)
   * nothing was written.
   */
  @Test
  void aConnectionLostAsTheCommitIsSentIsAnUnknownOutcomeEvenWhenNothingLanded() {
    JdbcWalletStore store = faultyStore(Shape.WALLET_LOCK, faulty);
    long before = healthy.load(MAYA).orElseThrow().version();
    faulty.arm(1, Fault.BREAK_CONNECTION, 1);

    assertUnknownOutcome(assertThrows(StoreException.class, () -> store.commit(topUpCommit(before))));

    assertNothingWritten(before);
  }

  /** A failure before the statement that commits was sent, or one the server answered, wrote nothing, and says so. */
  @ParameterizedTest
  @EnumSource(Shape.class)
  void aFailureBeforeTheCommitOrAnsweredByTheServerIsAPlainFailure(Shape shape) {
    WalletTransaction transaction = faultyStore(shape, faulty).transaction().orElseThrow();
    long before = healthy.load(MAYA).orElseThrow().version();
    Mutation<String> topUp = (stored, recorded) -> Mutation.Outcome.commit("granted", topUpCommit(stored.version()));

    faulty.arm(1, Fault.BREAK_CONNECTION, 1);
    StoreException read = assertThrows(StoreException.class, () -> transaction.attempt(MAYA, PAY, topUp));
    faulty.arm(WRITE, Fault.INTERNAL_ERROR, 1);
    StoreException refused = assertThrows(StoreException.class, () -> transaction.attempt(MAYA, PAY, topUp));

    assertEquals(StoreUnavailableException.class, read.getClass(), read.toString());
    assertEquals(StoreFaultException.class, refused.getClass(), refused.toString());
    assertTrue(refused.getMessage().contains("nothing was written"), refused.getMessage());
    assertNothingWritten(before);
  }

  // ------------------------------------------------------------------------------- the gate

  /**
   * The gate, told the outcome is unknown, reads the key's record, finds the top-up landed, answers
   * from it, and hands its events to the sink: the call is applied once.
   */
  @ParameterizedTest
  @EnumSource(GateShape.class)
  void theGateAnswersFromTheRecordOfACommitWhoseReplyWasLostAndDeliversItsEvents(GateShape shape) {
    RecordingSink sink = new RecordingSink();
    CreditGate gate = CreditGate.builder(breakingAfterTheNextCommit(shape, faulty)).eventSink(sink).build();
    long before = healthy.load(MAYA).orElseThrow().version();

    TopUp first = gate.topUp(MAYA, "small", PAY, T0);

    assertEquals(1, faulty.injectedCount());
    assertEquals(Credits.of(130), first.balanceAfter());
    assertEquals(before + 1, healthy.load(MAYA).orElseThrow().version());
    assertEquals(1, sink.events(WalletEvent.CreditsGranted.class).size(), sink.events().toString());
    assertEquals(first, gate.topUp(MAYA, "small", PAY, T0), "a repeat replays it");
    assertEquals(Credits.of(130), CreditGate.builder(healthy).build().status(MAYA, T0).available());
  }

  /**
   * The commit landed but its reply was lost, and then the database went away: the gate cannot read
   * the record within its budget and says the outcome is unknown, never that nothing was written.
   * Once the database is back, the same call with the same key answers from the record: charged
   * once; and the relay delivers the change's events.
   */
  @ParameterizedTest
  @EnumSource(GateShape.class)
  void whenTheRecordCannotBeReadTheGateSaysTheOutcomeIsUnknownAndTheRepeatAnswersIt(GateShape shape) {
    AtomicBoolean back = new AtomicBoolean();
    javax.sql.DataSource downAfterTheFault = new PlainDataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        if (faulty.injectedCount() > 0 && !back.get()) {
          faulty.setDown(true);
        }
        return faulty.getConnection();
      }

      @Override
      public Connection getConnection(String user, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException();
      }
    };
    RecordingSink sink = new RecordingSink();
    CreditGate gate = CreditGate.builder(breakingAfterTheNextCommit(shape, downAfterTheFault)).eventSink(sink)
        .build();
    long before = healthy.load(MAYA).orElseThrow().version();

    StoreException e = assertThrows(StoreException.class, () -> gate.topUp(MAYA, "small", PAY, T0));

    CommitOutcomeUnknownException unknown = assertInstanceOf(CommitOutcomeUnknownException.class, e, e.toString());
    assertEquals(MAYA, unknown.account());
    assertFalse(e.getMessage().contains("nothing was written"), e.getMessage());
    assertEquals(before + 1, healthy.load(MAYA).orElseThrow().version(), "it had landed");
    assertEquals(List.of(), sink.ids(), "the database was gone before the delivery");

    back.set(true);
    faulty.setDown(false);
    TopUp repeated = gate.topUp(MAYA, "small", PAY, T0);
    assertEquals(Credits.of(130), repeated.balanceAfter());
    assertEquals(before + 1, healthy.load(MAYA).orElseThrow().version(), "applied once");
    Decision charged = gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0);
    assertEquals(Credits.of(128), charged.balanceAfter());
    assertTrue(gate.deliverPendingEvents(100) >= 1, "the relay delivers what the lost call recorded");
    assertEquals(1, sink.events(WalletEvent.CreditsGranted.class).size(), sink.events().toString());
  }
}
