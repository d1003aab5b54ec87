package dev.creditgate.postgresql;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.TopUp;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.RetryPolicy;
import dev.creditgate.spi.SchemaMismatchException;
import dev.creditgate.spi.SchemaMissingException;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoreFaultException;
import dev.creditgate.spi.StoreUnavailableException;
import dev.creditgate.spi.UnreadableWalletException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletState;
import dev.creditgate.spi.WalletTransaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What only the PostgreSQL store has: its schema, its typed errors, its locks and its cursor. */
class JdbcWalletStoreTest {
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private final TestDatabase db = TestDatabase.get();

  // ------------------------------------------------------------------------------------ schema

  @Test
  void aMissingSchemaSaysHowToCreateIt() {
    db.drop("creditgate_absent");
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), "creditgate_absent").build();

    SchemaMissingException e = assertThrows(SchemaMissingException.class, () -> store.load(AccountId.of("a")));
    assertTrue(e.getMessage().contains("createSchema()"), e.getMessage());
    assertTrue(e.getMessage().contains(JdbcWalletStore.SCHEMA_RESOURCE), e.getMessage());
    assertThrows(SchemaMissingException.class, store::verifySchema);
    CreditGate gate = CreditGate.builder(store).build();
    assertThrows(SchemaMissingException.class, () -> gate.openWallet(AccountId.of("a"), ZONE, T0));
  }

  @Test
  void aSchemaOfAnotherVersionIsRefusedWithBothVersions() {
    db.recreate("creditgate_v4");
    db.execute("INSERT INTO creditgate_v4.creditgate_schema_version (version, description) VALUES (4, 'future')");
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), "creditgate_v4").build();

    SchemaMismatchException e = assertThrows(SchemaMismatchException.class, () -> store.load(AccountId.of("a")));
    assertEquals(3, e.expectedVersion());
    assertEquals(4, e.foundVersion());
    assertTrue(e.getMessage().contains("upgrade creditgate"), e.getMessage());
    assertThrows(SchemaMismatchException.class, store::createSchema);
    db.drop("creditgate_v4");
  }

  @Test
  void createSchemaIsIdempotentAndSafeFromSeveralInstancesAtOnce() throws Exception {
    db.drop("creditgate_fresh");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Callable<Void>> work = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      work.add(() -> {
        TestDatabase.store(db.unpooled(), "creditgate_fresh").build().createSchema();
        return null;
      });
    }
    try {
      for (Future<Void> f : pool.invokeAll(work, 60, TimeUnit.SECONDS)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), "creditgate_fresh").build();
    store.createSchema();
    store.verifySchema();
    assertEquals((long) JdbcWalletStore.SCHEMA_VERSION,
        count("SELECT count(*) FROM creditgate_fresh.creditgate_schema_version"));
    assertEquals(Optional.empty(), store.load(AccountId.of("a")));
    db.drop("creditgate_fresh");
  }

  @Test
  void theSchemaScriptIsSplitIntoItsStatements() {
    int[] expected = {7, 4, 6};
    for (int version = 1; version <= JdbcWalletStore.SCHEMA_VERSION; version++) {
      List<String> statements = SchemaInstaller.statements(SchemaInstaller.script(version));
      assertEquals(expected[version - 1], statements.size(), statements.toString());
      for (String statement : statements) {
        assertTrue(statement.startsWith("CREATE ") || statement.startsWith("INSERT ")
            || statement.startsWith("ALTER TABLE ") && statement.contains(" DROP CONSTRAINT IF EXISTS "), statement);
      }
    }
  }

  // ------------------------------------------------------------------------------ availability

  @Test
  void aDatabaseThatIsDownIsReportedAsUnavailableAfterTheGatesBoundedRetries() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    DataSource nowhere = new DriverDataSource("jdbc:postgresql://127.0.0.1:" + closedPort + "/creditgate?connectTimeout=2",
        "creditgate", "secret");
    JdbcWalletStore store = JdbcWalletStore.builder(nowhere).retryPolicy(new RetryPolicy(3, Duration.ofSeconds(30)))
        .build();

    // The store tries once; the gate three times, its budget.
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, store::verifySchema);
    assertFalse(e.getMessage().contains("tried"), e.getMessage());
    assertTrue(e.getMessage().contains("Check that PostgreSQL is up"), e.getMessage());
    CreditGate gate = CreditGate.builder(store).build();
    StoreUnavailableException viaGate = assertThrows(StoreUnavailableException.class,
        () -> gate.charge(AccountId.of("a"), Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("k"), T0));
    assertEquals(2, viaGate.getSuppressed().length, "the gate's 3 attempts: " + viaGate);
  }

  @Test
  void aDatabaseThatGoesDownAndComesBackLosesNothing() {
    FaultyDataSource faulty = new FaultyDataSource(db.unpooled());
    db.recreate("creditgate_outage");
    JdbcWalletStore store = TestDatabase.store(faulty, "creditgate_outage")
        .retryPolicy(new RetryPolicy(2, Duration.ofSeconds(30))).build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);

    faulty.setDown(true);
    assertThrows(StoreUnavailableException.class,
        () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0));
    faulty.setDown(false);

    assertTrue(gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0).isAllowed());
    assertEquals(Credits.of(28), gate.status(maya, T0).available());
    db.drop("creditgate_outage");
  }

  @ParameterizedTest
  @EnumSource(JdbcWalletStore.Locking.class)
  void anAttemptOnOneAccountThatCommitsAnothersWalletIsRefusedAndWritesNothing(JdbcWalletStore.Locking locking) {
    db.truncate(TestDatabase.SCHEMA);
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), TestDatabase.SCHEMA).locking(locking).build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    AccountId noah = AccountId.of("noah");
    gate.openWallet(maya, ZONE, T0);
    gate.openWallet(noah, ZONE, T0);
    StoredWallet mayas = store.load(maya).orElseThrow();
    StoredWallet noahs = store.load(noah).orElseThrow();

    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> store.transaction().orElseThrow().attempt(maya, IdempotencyKey.of("k"), (stored, recorded) ->
            Mutation.Outcome.commit("moved", new Commit(noah, noahs.version(), mayas.state(), List.of(), List.of(),
                List.of(), Optional.empty()))));

    assertEquals(Optional.of("noah"), e.value());
    assertEquals(noahs.version(), store.load(noah).orElseThrow().version(), "noah's wallet is untouched");
    assertEquals(mayas.version(), store.load(maya).orElseThrow().version(), "maya's wallet is untouched");
  }

  @Test
  void tablesWhoseColumnsDoNotMatchAreASchemaMismatchThatIsNotRetried() {
    db.recreate("creditgate_cols");
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), "creditgate_cols").build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    // The version row still says 1, but a column the store writes is gone (changed by hand).
    db.execute("ALTER TABLE creditgate_cols.creditgate_wallet DROP COLUMN next_hold_expiry_nanos");

    SchemaMismatchException e = assertThrows(SchemaMismatchException.class,
        () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0));
    assertFalse(e.isRetrySafe(), "an operator must migrate the tables");
    assertEquals(JdbcWalletStore.SCHEMA_VERSION, e.expectedVersion());
    assertEquals(SchemaMismatchException.UNKNOWN_VERSION, e.foundVersion());
    assertEquals(0, e.getSuppressed().length, "the gate tried once: retrying cannot help");
    db.drop("creditgate_cols");
  }

  @Test
  void aStoredWalletThisReleaseCannotReadIsKeptVerbatimAndTheGateRefusesItNamingTheAccount() {
    db.recreate("creditgate_corrupt");
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), "creditgate_corrupt").build();
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(AccountId.of("maya"), ZONE, T0);
    db.execute("UPDATE creditgate_corrupt.creditgate_wallet SET state = '2:w9' WHERE account_id = 'maya'");

    // The store hands the text back as it is; the gate, which owns the format, refuses it.
    assertEquals("2:w9", store.load(AccountId.of("maya")).orElseThrow().state().encoded());
    UnreadableWalletException e = assertThrows(UnreadableWalletException.class,
        () -> gate.status(AccountId.of("maya"), T0));
    assertTrue(e.getMessage().contains("'maya'"), e.getMessage());
    assertEquals(AccountId.of("maya"), e.account());
    assertFalse(e.isRetrySafe(), "the same text would be read again");
    db.drop("creditgate_corrupt");
  }

  /**
   * The schema has no CHECK constraints (version 3), so the store checks what it reads: a row
   * holding what the store never writes (changed by hand) fails the call as a fault that names the
   * value, is not retried, and changes nothing.
   */
  @Test
  void rowsHoldingWhatTheStoreNeverWritesAreAFaultNamingTheValueAndChangeNothing() throws SQLException {
    db.recreate("creditgate_bad_rows");
    String schema = "creditgate_bad_rows.";
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), "creditgate_bad_rows").build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    AccountId noah = AccountId.of("noah");
    gate.openWallet(maya, ZONE, T0);
    gate.openWallet(noah, ZONE, T0);
    assertTrue(gate.charge(noah, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0).isAllowed());

    db.execute("UPDATE " + schema + "creditgate_wallet SET version = 0 WHERE account_id = 'maya'");
    StoreFaultException version = assertThrows(StoreFaultException.class,
        () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0));
    assertTrue(version.getMessage().contains("wallet 'maya' holds version 0"), version.getMessage());
    assertFalse(version.isRetrySafe());
    assertEquals(0, version.getSuppressed().length, "not retried");
    assertEquals(0L, count("SELECT version FROM " + schema + "creditgate_wallet WHERE account_id = 'maya'"));

    long ledger = count("SELECT count(*) FROM " + schema + "creditgate_ledger");
    db.execute("UPDATE " + schema + "creditgate_idempotency SET at_nanos = 1000 WHERE account_id = 'noah'");
    StoreFaultException record = assertThrows(StoreFaultException.class,
        () -> gate.charge(noah, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0));
    assertTrue(record.getMessage().contains("at_nanos holds 1000 nanoseconds"), record.getMessage());
    assertEquals(ledger, count("SELECT count(*) FROM " + schema + "creditgate_ledger"), "nothing charged");

    db.execute("UPDATE " + schema + "creditgate_ledger SET at_nanos = -1 WHERE account_id = 'noah'");
    StoreFaultException entry = assertThrows(StoreFaultException.class, () -> {
      try (Stream<LedgerEntry> read = store.readLedger(noah, Instant.EPOCH, Instant.MAX)) {
        read.forEachOrdered(e -> { });
      }
    });
    assertTrue(entry.getMessage().contains("at_nanos holds -1 nanoseconds"), entry.getMessage());

    db.execute("INSERT INTO " + schema + "creditgate_event (account_id, sequence, event) VALUES ('noah', 0, 'e1;x')");
    StoreFaultException event = assertThrows(StoreFaultException.class,
        () -> store.deliverEvents(noah, events -> events.size(), 10));
    assertTrue(event.getMessage().contains("an event of 'noah' holds sequence 0"), event.getMessage());
    assertEquals(1L, count("SELECT count(*) FROM " + schema + "creditgate_event WHERE sequence = 0 AND delivered_at IS NULL"),
        "not marked delivered");
    // The relay visits Noah first (his event waits longest), and goes on to Zoe's.
    db.execute("INSERT INTO " + schema + "creditgate_event (account_id, sequence, event) VALUES ('zoe', 1, 'e1;y')");
    List<EventId> relayed = new ArrayList<>();
    int delivered = store.deliverEvents(events -> {
      events.forEach(e -> relayed.add(e.id()));
      return events.size();
    }, 100);
    assertEquals(relayed.size(), delivered);
    assertTrue(relayed.contains(new EventId(AccountId.of("zoe"), 1)), relayed.toString());
    assertFalse(relayed.stream().anyMatch(id -> id.account().equals(noah)), relayed.toString());
    assertEquals(1L, count("SELECT count(*) FROM " + schema + "creditgate_event WHERE sequence = 0 AND delivered_at IS NULL"),
        "still waiting");
    db.drop("creditgate_bad_rows");
  }

  @Test
  void textPostgresCannotHoldIsRefusedBeforeAnythingIsWritten() {
    TestDatabase.get().truncate(TestDatabase.SCHEMA);
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), TestDatabase.SCHEMA).build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);

    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> gate.topUp(maya, "small", IdempotencyKey.of("pay\u00001"), T0));
    assertTrue(e.getMessage().contains("U+0000"), e.getMessage());
    assertEquals(1, store.load(maya).orElseThrow().version());
    assertThrows(InvalidRequestException.class, () -> AccountId.of("ma\u0000ya"));
  }

  /**
   * An id beyond the BMP (a surrogate pair in Java) is stored and read back exactly: two payments
   * whose ids differ only in their emoji are two payments, and a repeat of either replays it. A lone
   * surrogate would not survive (the driver sends it as {@code ?}, so <code>pay-&#92;uD800</code> and
   * <code>pay-&#92;uDC00</code> would be one key), which is why no id can hold one.
   */
  @Test
  void idsBeyondTheBmpRoundTripSoTwoEmojiPaymentsStayTwoPayments() throws SQLException {
    db.truncate(TestDatabase.SCHEMA);
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), TestDatabase.SCHEMA).build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId cat = AccountId.of("maya-\uD83D\uDC31");
    IdempotencyKey grinning = IdempotencyKey.of("pay-\uD83D\uDE00");
    IdempotencyKey beaming = IdempotencyKey.of("pay-\uD83D\uDE01");
    gate.openWallet(cat, ZONE, T0);

    TopUp first = gate.topUp(cat, "small", grinning, T0);
    TopUp second = gate.topUp(cat, "small", beaming, T0);

    assertEquals(Credits.of(130), first.balanceAfter());
    assertEquals(Credits.of(230), second.balanceAfter(), "two payments");
    assertEquals(first, gate.topUp(cat, "small", grinning, T0.plusSeconds(1)), "a repeat replays the first");
    assertEquals(Credits.of(230), gate.status(cat, T0).available());
    assertEquals(grinning, store.findRecord(cat, grinning).orElseThrow().key());
    assertEquals(beaming, store.findRecord(cat, beaming).orElseThrow().key());
    List<String> keys = new ArrayList<>();
    try (Stream<LedgerEntry> read = store.readLedger(cat, Instant.MIN, Instant.MAX)) {
      read.forEachOrdered(e -> keys.add(e.key()));
    }
    assertTrue(keys.contains(grinning.value()) && keys.contains(beaming.value()), keys.toString());
    assertEquals(2L, count("SELECT count(*) FROM " + TestDatabase.SCHEMA + ".creditgate_idempotency"
        + " WHERE account_id = 'maya-\uD83D\uDC31' AND idempotency_key LIKE 'pay-%'"));

    try (Connection c = db.unpooled().getConnection(); PreparedStatement ps = c.prepareStatement("SELECT ?::text")) {
      ps.setString(1, "pay-\uD800");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals("pay-?", rs.getString(1), "what a lone surrogate would become");
      }
    }
    assertThrows(InvalidRequestException.class, () -> IdempotencyKey.of("pay-\uD800"));
    assertThrows(InvalidRequestException.class, () -> AccountId.of("maya-\uDC31"));
  }

  // ------------------------------------------------------------------------------------ writes

  /**
   * A commit hands its entries and records to PostgreSQL as arrays, in one statement. Many entries
   * of one commit, at times out of order, at the edges of the calendar and with text that arrays
   * must quote, read back exactly and in the order they were committed.
   */
  @Test
  void manyEntriesOfOneCommitReadBackExactlyAndInCommitOrder() {
    db.truncate(TestDatabase.SCHEMA);
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), TestDatabase.SCHEMA).build();
    AccountId maya = AccountId.of("maya");
    Scratch opened = new Scratch(maya, ZONE, T0);
    assertTrue(store.commit(new Commit(maya, 0, opened.state(), opened.ledger(), List.of(), List.of(), Optional.empty())));
    Instant[] edges = {Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("-0099-07-01T12:00:00.000000999Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+12026-03-02T08:00:00.000001001Z")};
    List<LedgerEntry> entries = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Instant at = i < edges.length ? edges[i] : T0.minusNanos(i * 1_001L);
      LedgerEntry.Kind kind = LedgerEntry.Kind.values()[i % LedgerEntry.Kind.values().length];
      entries.add(new LedgerEntry(maya, at, kind, "pack:" + i, Credits.ofThousandths(i % 2 == 0 ? i : -i),
          i % 3 == 0 ? "" : "op \"" + i + "\", {x} \\ NULL", "k-" + i));
    }
    IdempotencyRecord first = new IdempotencyRecord(IdempotencyKey.of("k-1"), "{\"q\": 1}", "NULL", edges[1]);
    IdempotencyRecord second = new IdempotencyRecord(IdempotencyKey.of("k-2"), "", "a, b", edges[3]);

    assertTrue(store.commit(new Commit(maya, 1, opened.state(), entries, List.of(first, second), List.of(), Optional.empty())));

    List<LedgerEntry> ledger = new ArrayList<>();
    try (Stream<LedgerEntry> read = store.readLedger(maya, Instant.MIN, Instant.MAX)) {
      read.forEachOrdered(ledger::add);
    }
    assertEquals(opened.ledger().size() + entries.size(), ledger.size());
    assertEquals(entries, ledger.subList(opened.ledger().size(), ledger.size()));
    assertEquals(Optional.of(first), store.findRecord(maya, first.key()));
    assertEquals(Optional.of(second), store.findRecord(maya, second.key()));
  }

  @Test
  void aCommitWhoseLastKeyIsStoredWritesNoneOfItsEntriesOrKeys() {
    db.truncate(TestDatabase.SCHEMA);
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), TestDatabase.SCHEMA).build();
    AccountId maya = AccountId.of("maya");
    Scratch opened = new Scratch(maya, ZONE, T0);
    IdempotencyRecord stored = new IdempotencyRecord(IdempotencyKey.of("k-1"), "first", "first", T0);
    assertTrue(store.commit(new Commit(maya, 0, opened.state(), opened.ledger(), List.of(stored), List.of(), Optional.empty())));
    LedgerEntry entry = new LedgerEntry(maya, T0, LedgerEntry.Kind.GRANT, "pack:x", Credits.of(1), "", "k-2");
    IdempotencyRecord fresh = new IdempotencyRecord(IdempotencyKey.of("k-2"), "second", "second", T0);

    assertFalse(store.commit(new Commit(maya, 1, opened.state(), List.of(entry, entry), List.of(fresh, stored), List.of(),
        Optional.empty())));

    assertEquals(1, store.load(maya).orElseThrow().version());
    assertEquals(Optional.empty(), store.findRecord(maya, fresh.key()));
    List<LedgerEntry> ledger = new ArrayList<>();
    try (Stream<LedgerEntry> read = store.readLedger(maya, Instant.MIN, Instant.MAX)) {
      read.forEachOrdered(ledger::add);
    }
    assertEquals(opened.ledger(), ledger);
  }

  // ----------------------------------------------------------------------------- locks, reads

  /**
   * The wallet's lock is keyed by the table, not by how a store names it: a store given the schema
   * and one whose search path finds the same tables take one lock per wallet.
   */
  @Test
  void aWalletsLockKeyIsTheSameWhetherTheSchemaIsNamedOrFoundOnTheSearchPath() throws SQLException {
    String named = new Statements(TestDatabase.SCHEMA).walletLockKey("'maya'");
    String found = new Statements(null).walletLockKey("'maya'");
    String other = new Statements(TestDatabase.SCHEMA).walletLockKey("'noah'");
    try (Connection c = db.unpooled().getConnection(); Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + TestDatabase.SCHEMA);
      try (ResultSet r = s.executeQuery("SELECT " + named + ", " + found + ", " + other)) {
        r.next();
        assertEquals(r.getLong(1), r.getLong(2), "one table, one key");
        assertNotEquals(r.getLong(1), r.getLong(3), "another account, another key");
      }
    }
  }

  @Test
  void readsTakeNoLocksWhileAWriterHoldsTheWalletAndWritersQueue() throws Exception {
    db.truncate(TestDatabase.SCHEMA);
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), TestDatabase.SCHEMA).build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);

    ExecutorService background = Executors.newSingleThreadExecutor();
    try (Connection writer = db.unpooled().getConnection()) {
      writer.setAutoCommit(false);
      // As a writer under the wallet's lock that has written its row: both locks held.
      TestDatabase.holdWalletLock(writer, TestDatabase.SCHEMA, "maya");
      try (Statement s = writer.createStatement()) {
        s.execute("SELECT * FROM " + TestDatabase.SCHEMA + ".creditgate_wallet WHERE account_id = 'maya' FOR UPDATE");
      }
      assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
        assertTrue(store.load(maya).isPresent());
        assertEquals(Optional.empty(), store.findRecord(maya, IdempotencyKey.of("k")));
        AtomicInteger entries = new AtomicInteger();
        try (Stream<LedgerEntry> read = store.readLedger(maya, Instant.EPOCH, Instant.MAX)) {
          read.forEachOrdered(e -> entries.incrementAndGet());
        }
        assertEquals(1, entries.get());
        assertTrue(gate.check(maya, Operation.GENERATE_IMAGE, 1, T0).isAllowed());
        assertEquals(Credits.of(30), gate.status(maya, T0).available());
      });

      Future<Decision> charge = background.submit(
          () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0));
      // The charge queues on the writer's lock, as the server sees it; it cannot finish before.
      awaitBlockedBy(writer);
      assertFalse(charge.isDone());
      assertEquals(1, store.load(maya).orElseThrow().version(), "nothing charged while the lock is held");
      writer.commit();
      assertTrue(charge.get(10, TimeUnit.SECONDS).isAllowed());
      assertEquals(2, store.load(maya).orElseThrow().version());
    } finally {
      background.shutdownNow();
    }
  }

  /**
   * The hazard of READ COMMITTED: a mutation that waited for the wallet's lock gets the wallet as
   * the other transaction left it, but a record read in the same statement comes from before the
   * wait. Here the other transaction applies the very key the waiting mutation carries.
   */
  @ParameterizedTest
  @EnumSource(JdbcWalletStore.Locking.class)
  void aMutationThatWaitedForTheLockSeesTheKeyTheLockHolderStored(JdbcWalletStore.Locking locking)
      throws Exception {
    db.truncate(TestDatabase.SCHEMA);
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), TestDatabase.SCHEMA).locking(locking).build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    Scratch toppedUp = new Scratch(maya, ZONE, T0).toppedUp("pay-1", T0);
    Scratch again = new Scratch(maya, ZONE, T0).toppedUp("pay-1-again", T0);
    String table = TestDatabase.SCHEMA + ".creditgate_";

    ExecutorService background = Executors.newSingleThreadExecutor();
    try (Connection other = db.unpooled().getConnection()) {
      other.setAutoCommit(false);
      // As another instance's attempt under the wallet's lock that is about to write: it holds
      // the wallet's lock and the row's (an optimistic write waits for the latter).
      TestDatabase.holdWalletLock(other, TestDatabase.SCHEMA, "maya");
      try (Statement s = other.createStatement()) {
        s.execute("SELECT 1 FROM " + table + "wallet WHERE account_id = 'maya' FOR UPDATE");
      }
      AtomicInteger decisions = new AtomicInteger();
      Mutation<String> mutation = (stored, recorded) -> {
        decisions.incrementAndGet();
        return recorded.isPresent() ? Mutation.Outcome.answer("replayed")
            : Mutation.Outcome.commit("applied again", new Commit(maya, stored.version(), again.state(),
                List.of(), List.of(new IdempotencyRecord(IdempotencyKey.of("pay-1"), "r", "x", T0)), List.of(), Optional.empty()));
      };
      // The gate's loop: attempt until one lands (an optimistic attempt that read v1 loses once).
      Future<String> waiting = background.submit(() -> {
        Optional<String> answer;
        do {
          answer = store.transaction().orElseThrow().attempt(maya, IdempotencyKey.of("pay-1"), mutation);
        } while (answer.isEmpty());
        return answer.get();
      });
      // The mutation now waits for the other's lock: the wallet's, to read; optimistic, the row's,
      // to write what it decided from version 1 (so it must lose the race once it gets the lock).
      awaitBlockedBy(other);
      assertEquals(locking == JdbcWalletStore.Locking.WALLET_LOCK ? 0 : 1, decisions.get(),
          locking + ": decisions made while waiting");
      try (PreparedStatement ps = other.prepareStatement("UPDATE " + table
          + "wallet SET version = 2, state = ? WHERE account_id = 'maya'")) {
        ps.setString(1, toppedUp.state().encoded());
        ps.executeUpdate();
      }
      try (Statement s = other.createStatement()) {
        s.execute("INSERT INTO " + table + "idempotency (account_id, idempotency_key, request, result, at, at_nanos)"
            + " VALUES ('maya', 'pay-1', 'top-up', 'first', now(), 0)");
      }
      other.commit();

      assertEquals("replayed", waiting.get(10, TimeUnit.SECONDS));
      // Wallet lock: once, after the lock was granted (a decision from the stale record would be
      // caught by the key's primary key, but only after wasted work). Optimistic: twice by design,
      // before the race it then lost and after it.
      assertEquals(locking == JdbcWalletStore.Locking.WALLET_LOCK ? 1 : 2, decisions.get());
      assertEquals(2, store.load(maya).orElseThrow().version());
      assertEquals(Credits.of(130), gate.status(maya, T0).balance());
    } finally {
      background.shutdownNow();
    }
  }

  /**
   * Another instance stores the very key a mutation is about to commit while it decides, without
   * moving the wallet's version (its insert is not committed yet when the mutation reads). The
   * write, sent with its COMMIT, waits for that key, fails as a whole on the unique violation, and
   * the mutation decides again and replays the other's answer: nothing of it is written, no error
   * surfaces, and the connection comes back out of any transaction in its auto-commit mode.
   */
  @ParameterizedTest
  @EnumSource(JdbcWalletStore.Locking.class)
  void aKeyStoredByAnotherInstanceWhileTheMutationDecidesUndoesItsWriteAndIsReplayed(
      JdbcWalletStore.Locking locking) throws Exception {
    db.truncate(TestDatabase.SCHEMA);
    AccountId maya = AccountId.of("maya");
    ExecutorService background = Executors.newSingleThreadExecutor();
    try (Connection mine = db.unpooled().getConnection(); Connection other = db.unpooled().getConnection()) {
      // One connection that the store borrows every time, and that nobody repairs in between.
      DataSource single = new PlainDataSource() {
        @Override
        public Connection getConnection() {
          return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                if (method.getName().equals("close")) {
                  return null;
                }
                try {
                  return method.invoke(mine, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
        }

        @Override
        public Connection getConnection(String user, String password) {
          throw new UnsupportedOperationException();
        }
      };
      JdbcWalletStore store = TestDatabase.store(single, TestDatabase.SCHEMA).locking(locking).build();
      CreditGate gate = CreditGate.builder(store).build();
      gate.openWallet(maya, ZONE, T0);
      List<LedgerEntry> ledgerBefore = new ArrayList<>();
      try (Stream<LedgerEntry> read = store.readLedger(maya, Instant.EPOCH, Instant.MAX)) {
        read.forEachOrdered(ledgerBefore::add);
      }
      other.setAutoCommit(false);
      int minePid = backendPid(mine);
      AtomicInteger decisions = new AtomicInteger();

      WalletState toppedUp = new Scratch(maya, ZONE, T0).toppedUp("pay-1", T0).state();
      Mutation<String> mutation = (stored, recorded) -> {
        if (decisions.incrementAndGet() == 1) {
          try (Statement s = other.createStatement()) {
            s.execute("INSERT INTO " + TestDatabase.SCHEMA + ".creditgate_idempotency"
                + " (account_id, idempotency_key, request, result, at, at_nanos)"
                + " VALUES ('maya', 'pay-1', 'top-up', 'first', now(), 0)");
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
          background.submit(() -> {
            try {
              awaitLockWait(minePid); // the write is now waiting for the other's key
            } finally {
              other.commit();
            }
            return null;
          });
        }
        return recorded.isPresent() ? Mutation.Outcome.answer("replayed " + recorded.get().result())
            : Mutation.Outcome.commit("applied", new Commit(maya, stored.version(), toppedUp,
                List.of(new LedgerEntry(maya, T0, LedgerEntry.Kind.GRANT, "pack:pay-1", Credits.of(100), "", "pay-1")),
                List.of(new IdempotencyRecord(IdempotencyKey.of("pay-1"), "top-up", "applied", T0)), List.of(), Optional.empty()));
      };
      WalletTransaction transaction = store.transaction().orElseThrow();

      // The write lost to the stored key and wrote nothing; the gate's next attempt replays it.
      assertEquals(Optional.empty(), transaction.attempt(maya, IdempotencyKey.of("pay-1"), mutation));
      assertEquals(Optional.of("replayed first"), transaction.attempt(maya, IdempotencyKey.of("pay-1"), mutation));
      assertEquals(2, decisions.get());
      assertEquals(1, store.load(maya).orElseThrow().version());
      assertEquals(Credits.of(30), gate.status(maya, T0).balance());
      List<LedgerEntry> ledgerAfter = new ArrayList<>();
      try (Stream<LedgerEntry> read = store.readLedger(maya, Instant.EPOCH, Instant.MAX)) {
        read.forEachOrdered(ledgerAfter::add);
      }
      assertEquals(ledgerBefore, ledgerAfter);
      assertTrue(mine.getAutoCommit());
      assertEquals("idle", sessionState(mine));
      // The connection works on: a charge commits, and leaves it out of any transaction again.
      assertTrue(gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0).isAllowed());
      assertEquals(2, store.load(maya).orElseThrow().version());
      assertTrue(mine.getAutoCommit());
      assertEquals("idle", sessionState(mine));
    } finally {
      background.shutdownNow();
    }
  }

  /** The state of {@code session}'s backend ("idle", "idle in transaction", ...), seen from another session. */
  private String sessionState(Connection session) throws SQLException {
    int pid = backendPid(session);
    try (Connection observer = db.unpooled().getConnection();
        PreparedStatement ps = observer.prepareStatement("SELECT state FROM pg_stat_activity WHERE pid = ?")) {
      ps.setInt(1, pid);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static int backendPid(Connection session) throws SQLException {
    try (Statement s = session.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Returns once some backend waits for a lock that {@code holder}'s session holds, as a third
   * session sees it (at most 30 s): the race a test sets up did happen.
   */
  private void awaitBlockedBy(Connection holder) throws SQLException {
    int pid = backendPid(holder);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection observer = db.unpooled().getConnection();
        PreparedStatement ps = observer.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))")) {
      ps.setInt(1, pid);
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getInt(1) > 0) {
            return;
          }
        }
      }
    }
    throw new IllegalStateException("no session ever waited for a lock of backend " + pid);
  }

  /** Returns once backend {@code pid} waits for a lock, as another session sees it (at most 30 s). */
  private void awaitLockWait(int pid) throws SQLException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    try (Connection observer = db.unpooled().getConnection();
        PreparedStatement ps = observer.prepareStatement(
            "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = ?")) {
      ps.setInt(1, pid);
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            return;
          }
        }
      }
    }
    throw new IllegalStateException("backend " + pid + " never waited for the other's key");
  }

  @Test
  void theLedgerIsReadThroughACursorInsideATransaction() {
    db.truncate(TestDatabase.SCHEMA);
    FaultyDataSource recording = new FaultyDataSource(db.unpooled());
    JdbcWalletStore store = TestDatabase.store(recording, TestDatabase.SCHEMA).ledgerFetchSize(64).build();
    CreditGate gate = CreditGate.builder(store).build();
    AccountId maya = AccountId.of("maya");
    gate.openWallet(maya, ZONE, T0);
    recording.calls().clear();

    try (Stream<LedgerEntry> read = store.readLedger(maya, Instant.EPOCH, Instant.MAX)) {

      read.forEachOrdered(e -> { });

    }

    List<String> calls = recording.calls();
    int manual = calls.indexOf("Connection.setAutoCommit(false)");
    int fetch = calls.indexOf("PreparedStatement.setFetchSize(64)");
    int query = calls.indexOf("PreparedStatement.executeQuery");
    assertTrue(manual >= 0 && fetch > manual && query > fetch, calls.toString());
    assertFalse(calls.stream().anyMatch(c -> c.contains("FOR UPDATE") || c.contains("advisory")), calls.toString());
    assertEquals("Connection.close", calls.get(calls.size() - 1), calls.toString());
    assertTrue(calls.contains("Connection.setAutoCommit(true)"), "auto-commit restored: " + calls);
  }

  @Test
  void hostsWhoseConnectionsAreSerializableGetConflictsRetriedNeverDenied() throws Exception {
    db.truncate(TestDatabase.SCHEMA);
    try (TestPool pool = db.pool(4)) {
      List<Connection> held = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        held.add(pool.getConnection());
      }
      for (Connection c : held) {
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        c.close();
      }
      FaultyDataSource recording = new FaultyDataSource(pool);
      JdbcWalletStore store = TestDatabase.store(recording, TestDatabase.SCHEMA).build();
      CreditGate gate = CreditGate.builder(store).build();
      AccountId maya = AccountId.of("maya");
      gate.openWallet(maya, ZONE, T0);

      // One conflict for certain: another session rewrites the wallet's row while a charge waits
      // for it, so the charge's lock, in a snapshot from before that commit, fails with 40001.
      ExecutorService one = Executors.newSingleThreadExecutor();
      try (Connection other = db.unpooled().getConnection()) {
        other.setAutoCommit(false);
        try (Statement s = other.createStatement()) {
          s.executeUpdate("UPDATE " + TestDatabase.SCHEMA + ".creditgate_wallet SET version = version"
              + " WHERE account_id = 'maya'");
        }
        Future<Decision> charge = one.submit(
            () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("first"), T0));
        awaitBlockedBy(other);
        other.commit();
        assertTrue(charge.get(10, TimeUnit.SECONDS).isAllowed(), "a lost race, decided again: never a denial");
      } finally {
        one.shutdownNow();
      }
      assertEquals(List.of("40001"), recording.thrownStates(), "the conflict happened, once");
      assertEquals(Credits.of(28), gate.status(maya, T0).available());

      ExecutorService threads = Executors.newFixedThreadPool(4);
      List<Callable<Integer>> work = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        work.add(() -> {
          int allowed = 0;
          for (int i = 0; i < 5; i++) {
            Decision d = gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of(thread + "-" + i), T0);
            allowed += d.isAllowed() ? 1 : 0;
          }
          return allowed;
        });
      }
      int allowed = 0;
      try {
        for (Future<Integer> f : threads.invokeAll(work, 60, TimeUnit.SECONDS)) {
          allowed += f.get();
        }
      } finally {
        threads.shutdownNow();
      }
      assertEquals(14, allowed, "28 credits buy 14 images of 2; every refusal must be for credits");
      assertEquals(Credits.ZERO, gate.status(maya, T0).available());
    }
  }

  // ---------------------------------------------------------------------------------- builder

  @Test
  void theBuilderNamesTheValuesItRefuses() {
    DataSource ds = db.unpooled();
    assertTrue(assertThrows(InvalidRequestException.class, () -> JdbcWalletStore.builder(ds).schema("Bad-Name"))
        .getMessage().contains("'Bad-Name'"));
    assertEquals(Optional.of("PT-1S"), assertThrows(InvalidRequestException.class,
        () -> JdbcWalletStore.builder(ds).deliveredEventRetention(Duration.ofSeconds(-1))).value());
    assertTrue(assertThrows(InvalidRequestException.class,
        () -> JdbcWalletStore.builder(ds).deliveredEventRetention(Duration.ofDays(36_501))).getMessage()
        .contains("PT876024H"));
    assertThrows(InvalidRequestException.class, () -> JdbcWalletStore.builder(ds).deliveredEventRetention(null));
    assertThrows(InvalidRequestException.class, () -> JdbcWalletStore.builder(ds).retryPolicy(null));
    assertThrows(InvalidRequestException.class, () -> JdbcWalletStore.builder(ds).ledgerFetchSize(0));
    assertThrows(InvalidRequestException.class, () -> JdbcWalletStore.builder(null));
    assertEquals(JdbcWalletStore.Locking.WALLET_LOCK, JdbcWalletStore.builder(ds).build().locking());
    assertEquals(RetryPolicy.DEFAULT, JdbcWalletStore.builder(ds).build().retryPolicy());
    RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(500));
    assertEquals(policy, JdbcWalletStore.builder(ds).retryPolicy(policy).build().retryPolicy());
  }

  private long count(String sql) throws SQLException {
    try (Connection c = db.unpooled().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
