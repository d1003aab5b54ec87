package dev.creditgate.benchmarks;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.HoldSettlement;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.postgresql.JdbcWalletStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * {@code charge} on PostgreSQL ({@link JdbcWalletStore}, its default wallet lock) beside a baseline
 * measured in the same run: the plain SQL any correct design must pay for a charge, one transaction
 * with one conditional {@code UPDATE} of a balance row and one {@code INSERT} of a ledger row. The
 * library's overhead is the ratio of its figure to the baseline's at the same thread count and
 * durability; and {@code reserve} + {@code capture}, without a baseline.
 *
 * <p>{@link Implementation#impl} says which of the two {@link #charge} runs ({@code baseline} or
 * {@code library}), so that {@link RunAll} can interleave them: one fork of each in turn, at each
 * thread count and durability, round after round, so that both meet the same machine. Run alone
 * (plain JMH), the two run one after the other.
 *
 * <p>{@link Database#durability} sets the server: {@code durable} is PostgreSQL's own defaults
 * ({@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on: each commit waits
 * for its WAL flush), {@code test} the tests' settings (all three off: the figures measure round
 * trips and CPU, not the disk). The set-up checks the settings on every pooled connection, so a
 * figure can never carry the wrong label. Each fork starts one embedded PostgreSQL 16 on the same
 * machine as the clients, with its data directory under {@code java.io.tmpdir} (on a disk, for the
 * durable figures to mean anything; {@code RunAll} records its file system). Every operation picks
 * a random wallet among {@link Database#wallets} and uses a fresh idempotency key; the gate and the
 * baseline share one pool of {@value #POOL_SIZE} connections, at least one per client thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 10, time = 5)
@Fork(1)
@Threads(4)
public class PostgresBenchmark {
  /** Connections in the pool: at least the most client threads below. */
  static final int POOL_SIZE = 16;
  /**
   * Charges a fork makes on one thread before its warm-up iterations (system property
   * {@code bench.jitWarmUp}): enough for every method of a charge to pass the JIT's thresholds.
   */
  static final int JIT_WARM_UP_CHARGES = Integer.getInteger("bench.jitWarmUp", 15_000);
  /** What a charge asks for: 2,000 tokens of a chat message, as in the in-memory benchmarks. */
  static final long QUANTITY = 2_000;

  // The baseline's tables: a balance per account and a ledger with the columns and index of the
  // library's own ledger, so the two designs write the same ledger row.
  private static final String[] BASELINE_SCHEMA = {
      "CREATE TABLE baseline_balance (account_id varchar(200) PRIMARY KEY, credits bigint NOT NULL)",
      "CREATE TABLE baseline_ledger (id bigserial PRIMARY KEY, account_id varchar(200) NOT NULL,"
          + " at timestamptz NOT NULL, at_nanos integer NOT NULL, kind varchar(16) NOT NULL,"
          + " grant_name text NOT NULL, amount bigint NOT NULL, operation text NOT NULL,"
          + " idempotency_key text NOT NULL)",
      "CREATE INDEX baseline_ledger_account ON baseline_ledger (account_id, id)"};
  private static final String BASELINE_UPDATE =
      "UPDATE baseline_balance SET credits = credits - ? WHERE account_id = ? AND credits >= ?";
  private static final String BASELINE_INSERT = "INSERT INTO baseline_ledger"
      + " (account_id, at, at_nanos, kind, grant_name, amount, operation, idempotency_key)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  /**
   * Which charge a fork measures: the plain-SQL baseline, the library's (each call its own
   * transaction), or the library's with group commit ({@code JdbcWalletStore.groupCommit(ZERO)}).
   */
  @State(Scope.Benchmark)
  public static class Implementation {
    @Param({"baseline", "library", "groupCommit"})
    String impl;

    boolean baseline;
    boolean groupCommit;

    /**
     * Also warms the fork's JIT up on this implementation's charge, on one thread: with 16 client
     * threads and the server on two cores, the compiler threads get so little CPU that the
     * library's code (far more than the baseline's) was still being compiled 20 s into a fork,
     * and the compiler's CPU was charged to the library's first iterations (measured: 50 us of
     * compiler time per charge 5 to 15 s in, none after a minute).
     */
    @Setup(Level.Trial)
    public void setUp(Database db, BenchmarkParams params) throws SQLException {
      if (!impl.equals("baseline") && !impl.equals("library") && !impl.equals("groupCommit")) {
        throw new IllegalArgumentException("impl must be baseline, library or groupCommit, not " + impl);
      }
      baseline = impl.equals("baseline");
      groupCommit = impl.equals("groupCommit");
      for (int i = 0; i < JIT_WARM_UP_CHARGES; i++) {
        oneCharge(db, this);
      }
      db.statements.start(db.pool, db.sequence.get(), impl + ", " + db.durability + ", " + params.getThreads()
          + " threads, " + db.wallets + " wallets");
    }
  }

  /** The server settings of each durability: PostgreSQL's defaults, or the tests' (all off). */
  static final Map<String, String> DURABLE = Map.of(
      "fsync", "on", "synchronous_commit", "on", "full_page_writes", "on");
  static final Map<String, String> TEST = Map.of(
      "fsync", "off", "synchronous_commit", "off", "full_page_writes", "off");

  @State(Scope.Benchmark)
  public static class Database {
    @Param({"1000"})
    int wallets;

    /** {@code durable}: fsync, synchronous_commit and full_page_writes on; {@code test}: all off. */
    @Param({"durable", "test"})
    String durability;

    EmbeddedPostgres postgres;
    BenchmarkPool pool;
    CreditGate gate;
    /** The same wallets through a store with group commit on, sharing the pool. */
    CreditGate groupCommitGate;
    AccountId[] accounts;
    /** What the baseline takes per charge: the gate's cost of the same charge, in thousandths. */
    long cost;
    final AtomicLong sequence = new AtomicLong();
    /** The server's time by statement, when {@code bench.statements} names a file to write it to. */
    final StatementProfile statements = StatementProfile.fromSystemProperty();

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
      Map<String, String> settings = switch (durability) {
        case "durable" -> DURABLE;
        case "test" -> TEST;
        default -> throw new IllegalArgumentException("durability must be durable or test, not " + durability);
      };
      EmbeddedPostgres.Builder server = EmbeddedPostgres.builder().setServerConfig("max_connections", "300");
      settings.forEach(server::setServerConfig);
      statements.configure(server);
      postgres = server.start();
      pool = new BenchmarkPool(postgres.getPostgresDatabase(), POOL_SIZE);
      // The set-up's own writes need no flush each: commits wait for none until the measurement.
      setSynchronousCommit("off");
      JdbcWalletStore store = JdbcWalletStore.builder(pool).build();
      store.createSchema();
      gate = CreditGate.builder(store).build();
      groupCommitGate = CreditGate.builder(JdbcWalletStore.builder(pool).groupCommit(Duration.ZERO).build()).build();
      cost = gate.costTable().costOf(Operation.AI_CHAT_MESSAGE).of(QUANTITY).thousandths();

      accounts = new AccountId[wallets];
      for (int i = 0; i < wallets; i++) {
        accounts[i] = AccountId.of("acct-" + i);
        Fixtures.openRich(gate, accounts[i]);
      }

      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        for (String ddl : BASELINE_SCHEMA) {
          s.execute(ddl);
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO baseline_balance (account_id, credits) VALUES (?, ?)")) {
          for (AccountId account : accounts) {
            ps.setString(1, account.value());
            ps.setLong(2, 1_000_000_000_000L); // a billion credits, in thousandths, like openRich
            ps.addBatch();
          }
          ps.executeBatch();
        }
        s.execute("VACUUM ANALYZE");
      }
      setSynchronousCommit(settings.get("synchronous_commit"));
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute("CHECKPOINT");
      }
      requireSettings(settings);
    }

    /** Sets the server's synchronous_commit for every session, the pool's open ones included. */
    private void setSynchronousCommit(String value) throws SQLException {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute("ALTER SYSTEM SET synchronous_commit = " + value);
        s.execute("SELECT pg_reload_conf()");
      }
    }

    /** Fails the run unless every pooled connection works at {@code settings}: the figure's label. */
    private void requireSettings(Map<String, String> settings) throws SQLException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      List<Connection> all = new ArrayList<>();
      try {
        for (int i = 0; i < POOL_SIZE; i++) {
          all.add(pool.getConnection());
        }
        for (Connection c : all) {
          for (Map.Entry<String, String> setting : settings.entrySet()) {
            String actual;
            // A reload reaches each session when it next reads a command: ask until it has.
            do {
              try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting.getKey())) {
                r.next();
                actual = r.getString(1);
              }
            } while (!actual.equals(setting.getValue()) && System.nanoTime() < deadline);
            if (!actual.equals(setting.getValue())) {
              throw new IllegalStateException(setting.getKey() + " is " + actual + ", not " + setting.getValue()
                  + " as the durability '" + durability + "' says");
            }
          }
        }
      } finally {
        for (Connection c : all) {
          c.close();
        }
      }
    }

    /** Reads the clocks of {@link CpuProfiler} as the iteration starts (after the trial's set-up). */
    @Setup(Level.Iteration)
    public void iterationStarts() {
      CpuProfiler.iterationStarts();
    }

    /** Reads the clocks of {@link CpuProfiler} as the iteration ends (before the trial's tear-down). */
    @TearDown(Level.Iteration)
    public void iterationEnds() {
      CpuProfiler.iterationEnds();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
      statements.write(pool, sequence.get());
      pool.close();
      postgres.close();
    }

    AccountId anyAccount() {
      return accounts[ThreadLocalRandom.current().nextInt(accounts.length)];
    }

    /** A moment per operation, a microsecond apart, long before any renewal or hold expiry. */
    static Instant at(long n) {
      return Fixtures.NOW.plus(Duration.ofNanos(n * 1_000));
    }
  }

  // ------------------------------------------------------------------------------- operations

  private static Decision libraryCharge(Database db, CreditGate gate) {
    long n = db.sequence.incrementAndGet();
    Decision d = gate.charge(db.anyAccount(), Operation.AI_CHAT_MESSAGE, QUANTITY,
        IdempotencyKey.of("c" + n), Database.at(n));
    if (!d.isAllowed()) {
      throw new IllegalStateException("a benchmark charge was denied: " + d);
    }
    return d;
  }

  private static HoldSettlement reserveAndCapture(Database db) {
    long n = db.sequence.incrementAndGet();
    AccountId account = db.anyAccount();
    Instant at = Database.at(n);
    IdempotencyKey hold = IdempotencyKey.of("h" + n);
    Decision d = db.gate.reserve(account, Operation.AI_CHAT_MESSAGE, QUANTITY, hold, at);
    if (!d.isAllowed()) {
      throw new IllegalStateException("a benchmark reservation was denied: " + d);
    }
    return db.gate.capture(account, hold, QUANTITY, Outcome.succeeded(), IdempotencyKey.of("k" + n), at);
  }

  /** The baseline: one transaction, one conditional UPDATE of a balance, one INSERT of a ledger row. */
  private static int baseline(Database db) throws SQLException {
    long n = db.sequence.incrementAndGet();
    String account = db.anyAccount().value();
    Instant at = Database.at(n);
    try (Connection c = db.pool.getConnection()) {
      c.setAutoCommit(false);
      boolean committed = false;
      try {
        try (PreparedStatement ps = c.prepareStatement(BASELINE_UPDATE)) {
          ps.setLong(1, db.cost);
          ps.setString(2, account);
          ps.setLong(3, db.cost);
          if (ps.executeUpdate() != 1) {
            throw new IllegalStateException("a baseline charge found too few credits on " + account);
          }
        }
        int rows;
        try (PreparedStatement ps = c.prepareStatement(BASELINE_INSERT)) {
          Instant micros = at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
          ps.setString(1, account);
          ps.setObject(2, OffsetDateTime.ofInstant(micros, ZoneOffset.UTC));
          ps.setInt(3, at.getNano() - micros.getNano());
          ps.setString(4, "DEBIT");
          ps.setString(5, "free");
          ps.setLong(6, -db.cost);
          ps.setString(7, Operation.AI_CHAT_MESSAGE.id());
          ps.setString(8, "c" + n);
          rows = ps.executeUpdate();
        }
        c.commit();
        committed = true;
        return rows;
      } finally {
        if (!committed) {
          c.rollback();
        }
        c.setAutoCommit(true);
      }
    }
  }

  // ------------------------------------------------------------------------------- benchmarks

  /** One charge: the plain-SQL baseline's, or the library's alone or group-committed, as {@link Implementation#impl} says. */
  @Benchmark
  public Object charge(Database db, Implementation implementation) throws SQLException {
    return oneCharge(db, implementation);
  }

  static Object oneCharge(Database db, Implementation implementation) throws SQLException {
    return implementation.baseline ? (Object) baseline(db)
        : libraryCharge(db, implementation.groupCommit ? db.groupCommitGate : db.gate);
  }

  @Benchmark
  public HoldSettlement reserveCapture(Database db) {
    return reserveAndCapture(db);
  }
}
