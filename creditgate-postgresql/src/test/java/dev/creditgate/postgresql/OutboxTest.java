package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.EventId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.EventDelivery;
import dev.creditgate.spi.OutboxEvent;
import dev.creditgate.testkit.RecordingSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the PostgreSQL outbox has: its round trips and batches, its advisory lock across
 * instances, the relay's order and pages, and the pruning of delivered events. (The outbox's
 * contract, which every store passes, runs in the contract tests.)
 */
class OutboxTest {
  private static final String SCHEMA = TestDatabase.SCHEMA;
  private static final String EVENTS = SCHEMA + ".creditgate_event";
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId MAYA = AccountId.of("maya");

  private final TestDatabase db = TestDatabase.get();

  @BeforeEach
  void emptyTables() {
    db.truncate(SCHEMA);
  }

  private JdbcWalletStore store() {
    return TestDatabase.store(db.unpooled(), SCHEMA).build();
  }

  /** A delivery that takes what it is handed, up to {@code take} of each batch, and keeps each batch. */
  private static final class Batches implements EventDelivery {
    final List<List<OutboxEvent>> batches = Collections.synchronizedList(new ArrayList<>());
    private final int take;

    Batches(int take) {
      this.take = take;
    }

    Batches() {
      this(Integer.MAX_VALUE);
    }

    @Override
    public int deliver(List<OutboxEvent> events) {
      batches.add(events);
      return Math.min(take, events.size());
    }

    List<OutboxEvent> all() {
      return batches.stream().flatMap(List::stream).toList();
    }

    List<Integer> sizes() {
      return batches.stream().map(List::size).toList();
    }
  }

  // ------------------------------------------------------------------------- recorded, delivered

  /**
   * The events of a commit are rows of the outbox, written by the commit's one statement: a top-up
   * through the gate takes the two statements of a charge, then the gate's delivery three more (the
   * lock with the read, the marks with the COMMIT, then a look for events committed meanwhile). A
   * charge that causes no event writes none.
   */
  @Test
  void aCommitWritesItsEventsInItsOneStatementAndTheGatesDeliveryTakesThreeRoundTrips() throws SQLException {
    FaultyDataSource recording = new FaultyDataSource(db.unpooled());
    RecordingSink sink = new RecordingSink();
    CreditGate gate = CreditGate.builder(TestDatabase.store(recording, SCHEMA).build()).eventSink(sink).build();
    gate.openWallet(MAYA, ZONE, T0);
    long opened = count("SELECT count(*) FROM " + EVENTS);

    recording.calls().clear();
    gate.topUp(MAYA, "small", IdempotencyKey.of("pay-1"), T0);

    assertEquals(List.of("execute", "execute", "execute", "execute", "executeQuery"), statements(recording),
        recording.calls()
        .toString());
    assertTrue(count("SELECT count(*) FROM " + EVENTS) > opened, "the top-up recorded its grant");
    assertEquals(0L, count("SELECT count(*) FROM " + EVENTS + " WHERE delivered_at IS NULL"), "and delivered it");
    long recorded = count("SELECT count(*) FROM " + EVENTS);
    assertEquals(recorded, (long) sink.ids().size());

    recording.calls().clear();
    assertTrue(gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0).isAllowed());

    assertEquals(List.of("execute", "execute"), statements(recording), "no event, no delivery");
    assertEquals(recorded, count("SELECT count(*) FROM " + EVENTS));
  }

  /**
   * An account's events are handed over in sequence order, 100 at a time, never more than the
   * limit, and each text exactly as committed, whatever it holds.
   */
  @Test
  void eventsAreHandedOverAHundredAtATimeWithinTheLimitAndVerbatim() {
    JdbcWalletStore store = store();
    List<OutboxEvent> committed = commitEvents(store, 250);

    Batches first = new Batches();
    assertEquals(130, store.deliverEvents(MAYA, first, 130));
    Batches rest = new Batches();
    assertEquals(120, store.deliverEvents(MAYA, rest, 1_000));

    assertEquals(List.of(100, 30), first.sizes());
    assertEquals(List.of(100, 20), rest.sizes());
    List<OutboxEvent> handed = new ArrayList<>(first.all());
    handed.addAll(rest.all());
    assertEquals(committed, handed, "ids and texts as committed, in sequence order");
  }

  /**
   * A delivery of up to 100 events is two round trips (the lock with the read, the marks with the
   * COMMIT), then, with the lock released, one read for events committed while it was held.
   */
  @Test
  void aDeliveryOfABatchIsThreeRoundTrips() {
    FaultyDataSource recording = new FaultyDataSource(db.unpooled());
    JdbcWalletStore store = TestDatabase.store(recording, SCHEMA).build();
    commitEvents(store, 3);
    recording.calls().clear();

    assertEquals(3, store.deliverEvents(MAYA, new Batches(), 100));

    assertEquals(List.of("execute", "execute", "executeQuery"), statements(recording), recording.calls().toString());
  }

  /** A delivery that reports more than it was handed, or fewer than none, is refused and marks nothing. */
  @Test
  void aDeliveryThatReportsAnImpossibleCountIsRefusedAndMarksNothing() {
    JdbcWalletStore store = store();
    List<OutboxEvent> committed = commitEvents(store, 2);

    for (int reported : new int[] {-1, 3}) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> store.deliverEvents(MAYA, events -> reported, 100));
      assertEquals(Optional.of(Integer.toString(reported)), e.value());
    }

    Batches all = new Batches();
    assertEquals(2, store.deliverEvents(MAYA, all, 100));
    assertEquals(committed, all.all());
  }

  @Test
  void aLimitThatIsNotPositiveIsRefused() {
    JdbcWalletStore store = store();
    assertEquals(Optional.of("0"), assertThrows(InvalidRequestException.class,
        () -> store.deliverEvents(MAYA, new Batches(), 0)).value());
    assertEquals(Optional.of("-1"), assertThrows(InvalidRequestException.class,
        () -> store.deliverEvents(new Batches(), -1)).value());
    assertThrows(InvalidRequestException.class, () -> store.deliverEvents(MAYA, null, 1));
  }

  // ------------------------------------------------------------------------------------- lock

  /**
   * The account's delivery lock is PostgreSQL's, so it holds across instances: while another
   * session holds it, a delivery returns 0 at once without handing anything over.
   */
  @Test
  void whileAnotherSessionHoldsTheAccountsLockADeliveryReturnsZeroAtOnce() throws SQLException {
    JdbcWalletStore store = store();
    commitEvents(store, 2);
    try (Connection other = db.unpooled().getConnection()) {
      other.setAutoCommit(false);
      try (PreparedStatement ps = other.prepareStatement(
          "SELECT pg_advisory_xact_lock(" + new Statements(SCHEMA).deliveryLockKey("?") + ")")) {
        ps.setString(1, MAYA.value());
        ps.execute();
      }

      assertEquals(0, store.deliverEvents(MAYA, events -> {
        throw new AssertionError("handed over while another instance delivers: " + events);
      }, 100));
      assertEquals(0, store.deliverEvents(events -> {
        throw new AssertionError("the relay skips an account another instance delivers: " + events);
      }, 100));

      other.commit();
    }
    assertEquals(2, store.deliverEvents(MAYA, new Batches(), 100));
  }

  /**
   * Whatever isolation the pool sets, a delivery reads and marks in READ COMMITTED: under
   * SERIALIZABLE connections it delivers, and the next delivery finds nothing left.
   */
  @Test
  void aPoolOfSerializableConnectionsDeliversToo() throws SQLException {
    try (TestPool pool = db.pool(2)) {
      List<Connection> held = List.of(pool.getConnection(), pool.getConnection());
      for (Connection c : held) {
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        c.close();
      }
      JdbcWalletStore store = TestDatabase.store(pool, SCHEMA).build();
      commitEvents(store, 3);

      assertEquals(3, store.deliverEvents(MAYA, new Batches(), 100));
      assertEquals(0, store.deliverEvents(MAYA, new Batches(), 100));
      assertEquals(0, pool.borrowedCount());
    }
  }

  /**
   * Relays on three instances (a pool each) run at once, many times, over twenty accounts: every
   * event is handed over exactly once, and each account's in sequence order. (The lock keeps two
   * deliveries of an account apart, and the one that takes it next reads the marks of the one
   * before.)
   *
   * @throws Exception if a relay fails
   */
  @Test
  void relaysOnThreeInstancesAtOnceHandEveryEventOverExactlyOnceAndInOrder() throws Exception {
    int accounts = 20;
    int perAccount = 15;
    for (int a = 0; a < accounts; a++) {
      insertEvents("acct-" + a, 1, perAccount, Instant.now());
    }
    List<EventId> handed = Collections.synchronizedList(new ArrayList<>());
    EventDelivery delivery = events -> {
      handed.addAll(events.stream().map(OutboxEvent::id).toList());
      return events.size();
    };
    List<TestPool> pools = List.of(db.pool(2), db.pool(2), db.pool(2));
    ExecutorService threads = Executors.newFixedThreadPool(6);
    AtomicInteger delivered = new AtomicInteger();
    try {
      List<Callable<Void>> relays = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        JdbcWalletStore store = TestDatabase.store(pools.get(t % 3), SCHEMA).build();
        relays.add(() -> {
          for (int run = 0; run < 10_000 && delivered.get() < accounts * perAccount; run++) {
            delivered.addAndGet(store.deliverEvents(delivery, 7));
          }
          return null;
        });
      }
      for (Future<Void> f : threads.invokeAll(relays, 120, TimeUnit.SECONDS)) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
      pools.forEach(TestPool::close);
    }

    assertEquals(accounts * perAccount, delivered.get());
    assertEquals(accounts * perAccount, handed.size(), "each event once");
    assertEquals(accounts * perAccount, new HashSet<>(handed).size(), "no event twice");
    Map<AccountId, Long> last = new HashMap<>();
    synchronized (handed) {
      for (EventId id : handed) {
        long before = last.getOrDefault(id.account(), 0L);
        assertEquals(before + 1, id.sequence(), id + " out of order");
        last.put(id.account(), id.sequence());
      }
    }
  }

  // ------------------------------------------------------------------------------------ relay

  /**
   * The relay visits the accounts by the time their first waiting event was recorded, oldest
   * first, across pages of accounts, each once a run: an account whose delivery stops (here every
   * third refuses) waits for the next run, which visits only those, in the same order.
   */
  @Test
  void theRelayVisitsAccountsOldestFirstAcrossPagesAndEachOnceARun() {
    int accounts = Outbox.ACCOUNTS_PER_PAGE * 2 + 50;
    List<AccountId> oldestFirst = new ArrayList<>();
    for (int a = 0; a < accounts; a++) {
      // Recorded in reverse order of their names' numbers, a second apart.
      AccountId account = AccountId.of(String.format("relay-%03d", a));
      insertEvents(account.value(), 1, 2, T0.minusSeconds(a));
      oldestFirst.add(0, account);
    }
    Set<AccountId> refusing = new HashSet<>();
    for (int i = 0; i < accounts; i += 3) {
      refusing.add(oldestFirst.get(i));
    }
    List<AccountId> visited = new ArrayList<>();
    EventDelivery delivery = events -> {
      AccountId account = events.get(0).id().account();
      visited.add(account);
      return refusing.contains(account) ? 0 : events.size();
    };
    JdbcWalletStore store = store();

    assertEquals(2 * (accounts - refusing.size()), store.deliverEvents(delivery, 100_000));

    assertEquals(oldestFirst, visited, "oldest first, each once");
    visited.clear();
    refusing.clear();
    assertEquals(2 * ((accounts + 2) / 3), store.deliverEvents(delivery, 100_000));
    List<AccountId> refusedBefore = new ArrayList<>();
    for (int i = 0; i < accounts; i += 3) {
      refusedBefore.add(oldestFirst.get(i));
    }
    assertEquals(refusedBefore, visited);
    assertEquals(0, store.deliverEvents(delivery, 100_000));
  }

  /** The relay stops at its limit, in the middle of an account; the next run goes on from there. */
  @Test
  void theRelayStopsAtItsLimitAndTheNextRunGoesOn() {
    insertEvents("relay-a", 1, 4, T0.minusSeconds(2));
    insertEvents("relay-b", 1, 4, T0.minusSeconds(1));
    JdbcWalletStore store = store();

    Batches first = new Batches();
    assertEquals(6, store.deliverEvents(first, 6));
    Batches second = new Batches();
    assertEquals(2, store.deliverEvents(second, 6));

    assertEquals(List.of("relay-a#1", "relay-a#2", "relay-a#3", "relay-a#4", "relay-b#1", "relay-b#2"),
        first.all().stream().map(e -> e.id().toString()).toList());
    assertEquals(List.of("relay-b#3", "relay-b#4"), second.all().stream().map(e -> e.id().toString()).toList());
  }

  // ---------------------------------------------------------------------------------- pruning

  /**
   * A relay run removes delivered events older than the retention (7 days by default), and keeps
   * younger ones and every undelivered event, however old.
   */
  @Test
  void theRelayRemovesDeliveredEventsPastTheRetentionAndNeverAnUndeliveredOne() throws SQLException {
    insertEvents("old", 1, 3, T0.minus(Duration.ofDays(30)));
    insertEvents("young", 1, 3, T0.minus(Duration.ofDays(30)));
    insertEvents("waiting", 1, 2, T0.minus(Duration.ofDays(400)));
    db.execute("UPDATE " + EVENTS + " SET delivered_at = now() - interval '8 days' WHERE account_id = 'old'");
    db.execute("UPDATE " + EVENTS + " SET delivered_at = now() - interval '6 days' WHERE account_id = 'young'");
    JdbcWalletStore store = store();

    assertEquals(0, store.deliverEvents(events -> 0, 100), "the waiting account's delivery refuses");

    assertEquals(List.of("waiting", "young"), accountsInOutbox());
    assertEquals(5L, count("SELECT count(*) FROM " + EVENTS));
  }

  /** With a retention of zero, an event delivered in one run is removed by the next. */
  @Test
  void aRetentionOfZeroRemovesDeliveredEventsAtTheNextRun() throws SQLException {
    JdbcWalletStore store = TestDatabase.store(db.unpooled(), SCHEMA).deliveredEventRetention(Duration.ZERO).build();
    insertEvents("zero", 1, 3, T0);

    assertEquals(3, store.deliverEvents(new Batches(), 100));
    assertEquals(3L, count("SELECT count(*) FROM " + EVENTS + " WHERE delivered_at IS NOT NULL"), "kept for now");
    assertEquals(0, store.deliverEvents(new Batches(), 100));

    assertEquals(0L, count("SELECT count(*) FROM " + EVENTS));
  }

  /** A run removes at most its batches: 2 of 10 here; the next run goes on. */
  @Test
  void pruningIsBoundedPerRun() throws SQLException {
    insertEvents("many", 1, 45, T0);
    db.execute("UPDATE " + EVENTS + " SET delivered_at = now() - interval '30 days'");
    Statements sql = new Statements(SCHEMA);
    Transactions transactions = new Transactions(db.unpooled());
    SchemaInstaller schema = new SchemaInstaller(SCHEMA, sql, transactions);
    Outbox outbox = new Outbox(sql, transactions, schema, Duration.ofDays(7), 10, 2);

    assertEquals(List.of(20, 20, 5, 0), List.of(outbox.prune(), outbox.prune(), outbox.prune(), outbox.prune()));
    assertEquals(0L, count("SELECT count(*) FROM " + EVENTS));
  }

  // ---------------------------------------------------------------------------------- helpers

  /** Commits {@code n} events of Maya's wallet, with texts an array parameter must quote. */
  private static List<OutboxEvent> commitEvents(JdbcWalletStore store, int n) {
    Scratch wallet = new Scratch(MAYA, ZONE, T0);
    List<OutboxEvent> events = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      events.add(OutboxEvent.ofEncoded(new EventId(MAYA, i), "e1;" + i + " \"q\", {x} \\ NULL ä ✓ \uD83D\uDE00"));
    }
    assertTrue(store.commit(new Commit(MAYA, 0, wallet.state(), wallet.ledger(), List.of(), events, Optional.empty())));
    return events;
  }

  /** Writes undelivered events {@code from..from+count-1} of {@code account}, recorded at {@code at}. */
  private void insertEvents(String account, long from, int count, Instant at) {
    try (Connection c = db.unpooled().getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
        + EVENTS + " (account_id, sequence, event, recorded_at) SELECT ?, s, 'e1;' || s, ?"
        + " FROM generate_series(?::bigint, ?::bigint) AS s")) {
      ps.setString(1, account);
      ps.setObject(2, java.time.OffsetDateTime.ofInstant(at, ZoneId.of("UTC")));
      ps.setLong(3, from);
      ps.setLong(4, from + count - 1);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> accountsInOutbox() throws SQLException {
    List<String> accounts = new ArrayList<>();
    try (Connection c = db.unpooled().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT account_id FROM " + EVENTS + " ORDER BY account_id")) {
      while (rs.next()) {
        accounts.add(rs.getString(1));
      }
    }
    return accounts;
  }

  private long count(String sql) throws SQLException {
    try (Connection c = db.unpooled().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The names of the statements the recording DataSource saw (execute, executeQuery, commit ...). */
  private static List<String> statements(FaultyDataSource recording) {
    return recording.calls().stream()
        .filter(c -> c.matches(".*\\.(execute|executeQuery|executeUpdate|executeBatch|commit)(\\(.*)?"))
        .map(c -> c.replaceAll("^[A-Za-z]+\\.|\\(.*$", ""))
        .toList();
  }
}
