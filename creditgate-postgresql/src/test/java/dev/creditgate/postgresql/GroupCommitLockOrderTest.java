package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances with group commit on one database, whose batches name the same wallets in opposite
 * orders: each batch takes its wallets' locks in the order of their lock keys, so the two never
 * deadlock. PostgreSQL would
 * break a deadlock by failing one batch, which the gate retries unseen, so the test reads the
 * server's own count of deadlocks ({@code pg_stat_database.deadlocks}) once the instances'
 * sessions have ended (a session reports its counts by then at the latest), and that no batch
 * failed as a whole (a deadlock can also end as the batch's lock time-out), besides checking that
 * every call is answered and every ledger sums to its wallet.
 */
class GroupCommitLockOrderTest {
  private static final String SCHEMA = "creditgate_group_order";
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  /** Each instance's batch closes once it holds its four calls, however slowly they come. */
  private static final Duration GATHER = Duration.ofSeconds(20);
  private final TestDatabase db = TestDatabase.get();
  private final List<TestPool> pools = new ArrayList<>();
  private final List<Integer> sessions = new ArrayList<>();
  private final ExecutorService threads = Executors.newFixedThreadPool(16);

  @BeforeEach
  void schema() {
    db.recreate(SCHEMA);
  }

  @AfterEach
  void stop() throws InterruptedException {
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
    pools.forEach(TestPool::close);
    db.drop(SCHEMA);
  }

  /** An instance's pool of {@code size} connections, whose server sessions are remembered. */
  private TestPool pool(int size) throws SQLException {
    TestPool pool = db.pool(size);
    pools.add(pool);
    List<Connection> all = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        Connection c = pool.getConnection();
        all.add(c);
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
          r.next();
          sessions.add(r.getInt(1));
        }
      }
    } finally {
      for (Connection c : all) {
        c.close();
      }
    }
    return pool;
  }

  private long deadlocks() {
    try (Connection c = db.unpooled().getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The deadlocks counted once every session of the instances has ended and reported its counts. */
  private long deadlocksOnceTheInstancesEnded() throws Exception {
    pools.forEach(TestPool::close);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection c = db.unpooled().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("int4", sessions.toArray()));
      while (true) {
        try (ResultSet r = ps.executeQuery()) {
          r.next();
          if (r.getLong(1) == 0) {
            break;
          }
        }
        assertTrue(System.nanoTime() < deadline, "the instances' sessions did not end");
        Thread.sleep(20);
      }
    }
    return deadlocks();
  }

  /** How many batches {@code store} wrote, and how many calls they held. */
  private static long[] batches(JdbcWalletStore store) {
    return ((GroupCommit) store.transaction().orElseThrow()).statistics();
  }

  private static AccountId open(CreditGate gate, String name) {
    AccountId account = AccountId.of(name);
    gate.openWallet(account, ZoneOffset.UTC, T0); // Free: 30 credits, 15 images
    return account;
  }

  private static Credits ledgerSum(JdbcWalletStore store, AccountId account) {
    try (Stream<LedgerEntry> entries = store.readLedger(account, Instant.EPOCH, Instant.MAX)) {
      return entries.map(LedgerEntry::amount).reduce(Credits.ZERO, Credits::plus);
    }
  }

  /** {@code names} in the order a batch takes their wallets' locks: by their lock keys. */
  private List<String> inLockOrder(String... names) throws SQLException {
    List<String> ordered = new ArrayList<>();
    try (Connection c = db.unpooled().getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT a FROM unnest(?::varchar[]) AS a ORDER BY " + new Statements(SCHEMA).walletLockKey("a"))) {
      ps.setArray(1, c.createArrayOf("varchar", names));
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          ordered.add(r.getString(1));
        }
      }
    }
    return ordered;
  }

  /** Waits until {@code sessions} sessions other than the caller's wait for a lock. */
  private static void awaitWaitingForALock(Connection watcher, int sessions) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (waitingForALock(watcher) < sessions) {
      assertTrue(System.nanoTime() < deadline, sessions + " batches wait at the held lock");
      Thread.sleep(2);
    }
  }

  /** How many sessions other than the caller's wait for a lock. */
  private static int waitingForALock(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
        + " WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
      r.next();
      return r.getInt(1);
    }
  }

  @Test
  void twoBatchesNamingTheSameWalletsInOppositeOrdersWaitInLineAndNeverDeadlock() throws Exception {
    // A session holds the lock of the first wallet in lock order while one instance's batch
    // gathers its calls in that order and the other's in the opposite order. Locked in arrival
    // order, the second batch would hold the last three wallets and wait for the first, which the
    // first batch, once the session lets go, would hold while waiting for the second wallet: a
    // deadlock. Locked in lock order, both wait for the first wallet, and one goes after the other.
    JdbcWalletStore one = TestDatabase.store(pool(3), SCHEMA).groupCommit(GATHER, 4, false).build();
    JdbcWalletStore two = TestDatabase.store(pool(3), SCHEMA).groupCommit(GATHER, 4, false).build();
    CreditGate first = CreditGate.builder(one).build();
    CreditGate second = CreditGate.builder(two).build();
    List<AccountId> wallets = new ArrayList<>();
    for (String name : inLockOrder("a", "b", "c", "d")) {
      wallets.add(open(first, name));
    }
    long before = deadlocks();

    List<Future<Decision>> answers = new ArrayList<>();
    try (Connection holder = db.unpooled().getConnection(); Connection watcher = db.unpooled().getConnection()) {
      holder.setAutoCommit(false);
      TestDatabase.holdWalletLock(holder, SCHEMA, wallets.get(0).value());
      // The forward batch queues at the held lock first, then the backward one: when the session
      // lets go, the forward batch is granted the lock first.
      for (AccountId forward : wallets) {
        answers.add(threads.submit(() -> first.charge(forward, Operation.GENERATE_IMAGE, 1,
            IdempotencyKey.of("one-" + forward.value()), T0)));
        Thread.sleep(25); // so that the batch holds its calls in the order they were made
      }
      awaitWaitingForALock(watcher, 1);
      for (int i = wallets.size() - 1; i >= 0; i--) {
        AccountId backward = wallets.get(i);
        answers.add(threads.submit(() -> second.charge(backward, Operation.GENERATE_IMAGE, 1,
            IdempotencyKey.of("two-" + backward.value()), T0)));
        Thread.sleep(25);
      }
      // Both batches wait at a lock (the first wallet's, in lock order) before the session lets
      // go; well within their lock time-out, after which their calls would go alone.
      awaitWaitingForALock(watcher, 2);
      holder.rollback();
    }

    for (Future<Decision> answer : answers) {
      assertTrue(answer.get(60, TimeUnit.SECONDS).isAllowed());
    }
    assertEquals(2, batches(one)[0] + batches(two)[0], "one batch an instance");
    // A deadlock can end as a lock time-out instead (both wait a second): the batch then fails as
    // a whole and its calls go alone. Waiting in line, neither batch waits that long.
    assertEquals(0, batches(one)[2] + batches(two)[2], "batches that failed as a whole");
    for (AccountId wallet : wallets) {
      assertEquals(Credits.of(26), first.status(wallet, T0).available(), wallet.value());
      assertEquals(Credits.of(26), ledgerSum(one, wallet), "the ledger of " + wallet + " sums to its balance");
      assertEquals(3, one.load(wallet).orElseThrow().version(), "its opening and one commit a batch");
    }
    assertEquals(before, deadlocksOnceTheInstancesEnded(), "deadlocks the server broke");
  }

  @Test
  void manyThreadsOfTwoInstancesOnOverlappingWalletsNeverDeadlock() throws Exception {
    JdbcWalletStore one = TestDatabase.store(pool(6), SCHEMA).groupCommit(Duration.ofMillis(1)).build();
    JdbcWalletStore two = TestDatabase.store(pool(6), SCHEMA).groupCommit(Duration.ofMillis(1)).build();
    List<CreditGate> gates = List.of(CreditGate.builder(one).build(), CreditGate.builder(two).build());
    List<AccountId> wallets = new ArrayList<>();
    for (int w = 0; w < 6; w++) {
      wallets.add(open(gates.get(0), "w" + w));
    }
    long before = deadlocks();

    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<Decision>>> work = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int thread = t;
      CreditGate gate = gates.get(t % 2);
      work.add(threads.submit((Callable<List<Decision>>) () -> {
        Random random = new Random(thread);
        List<Decision> decisions = new ArrayList<>();
        start.await();
        for (int i = 0; i < 20; i++) {
          AccountId wallet = wallets.get(random.nextInt(wallets.size()));
          decisions.add(gate.charge(wallet, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of(thread + "-" + i), T0));
        }
        return decisions;
      }));
    }
    start.countDown();
    List<Decision> decisions = new ArrayList<>();
    for (Future<List<Decision>> f : work) {
      decisions.addAll(f.get(120, TimeUnit.SECONDS));
    }

    assertEquals(320, decisions.size(), "every call answered");
    long allowed = decisions.stream().filter(Decision::isAllowed).count();
    Credits left = Credits.ZERO;
    for (AccountId wallet : wallets) {
      Credits available = gates.get(0).status(wallet, T0).available();
      left = left.plus(available);
      assertEquals(available, ledgerSum(one, wallet), "the ledger of " + wallet + " sums to its balance");
    }
    assertEquals(Credits.of(180 - 2 * allowed), left, "every allowed charge, and only those, spent");
    long written = batches(one)[0] + batches(two)[0];
    long gathered = batches(one)[1] + batches(two)[1];
    assertTrue(written < gathered, "calls were gathered: " + gathered + " in " + written + " batches");
    assertEquals(0, batches(one)[2] + batches(two)[2], "batches that failed as a whole (a lock time-out)");
    assertEquals(before, deadlocksOnceTheInstancesEnded(), "deadlocks the server broke");
  }
}
