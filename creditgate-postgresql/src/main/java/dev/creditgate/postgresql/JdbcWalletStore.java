package dev.creditgate.postgresql;

import dev.creditgate.spi.StoreUnavailableException;
import dev.creditgate.spi.SchemaMissingException;
import dev.creditgate.spi.SchemaMismatchException;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Hold;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.StoreException;
import dev.creditgate.UnknownAccountException;
import dev.creditgate.model.Wallet;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WalletStore} in PostgreSQL, through JDBC: wallets, ledgers and idempotency records
 * shared by every service instance that uses the same database.
 *
 * <pre>{@code
 * JdbcWalletStore store = JdbcWalletStore.builder(dataSource).build();
 * store.createSchema();                        // or apply V1__creditgate.sql with Flyway/Liquibase
 * CreditGate gate = CreditGate.builder().store(store).build();
 * }</pre>
 *
 * <p><b>Guarantees.</b> Each mutation is one database transaction: the wallet, its ledger entries
 * and its idempotency record commit together or not at all. By default ({@link Locking#ROW_LOCK})
 * a mutation locks the wallet's row ({@code SELECT ... FOR UPDATE}), reads the idempotency record,
 * decides and writes before it commits, so that concurrent mutations of one wallet, from any number
 * of threads and processes, run one after the other: no lost update, no double spend, no key
 * applied twice. A mutation locks exactly one wallet row, always before anything else, so two
 * mutations cannot deadlock each other. {@link #commit} is conditional on the wallet's version and
 * returns {@code false} (writing nothing) when the version moved or an idempotency key is already
 * stored.
 *
 * <p><b>Round trips.</b> A mutation that writes takes two: the read (locking the wallet's row, or
 * not), then its write, one statement sent together with the {@code COMMIT}. The write is all or
 * nothing by itself (a moved version writes nothing, a stored key fails the whole statement), so
 * the {@code COMMIT} that follows it commits all of it or nothing. A mutation that only answers
 * (a denial, a replay) reads and commits: two round trips as well. {@link #commit} is one.
 *
 * <p><b>Reads</b> ({@link #load}, {@link #findRecord}, {@link #readLedger}) take no locks and never
 * wait for writers; {@link #readLedger} streams through a cursor, so a long history never sits in
 * memory.
 *
 * <p><b>Failures.</b> Serialization failures (SQLState 40001), deadlocks (40P01) and broken or
 * refused connections (08xxx) are retried, on a new connection and from a fresh read, up to
 * {@link Builder#maxAttempts(int)} times with jittered exponential backoff; after that the call
 * throws {@link dev.creditgate.spi.StoreUnavailableException} (connection) or
 * {@link StoreException} (conflicts), with nothing partially written. A missing schema throws
 * {@link dev.creditgate.spi.SchemaMissingException}, a schema of another version
 * {@link dev.creditgate.spi.SchemaMismatchException}. None of these is ever reported as a denial
 * for lack of credits. If a connection breaks while the database commits, the store cannot know
 * whether the commit landed; the retry reads the idempotency record and so returns the first
 * answer instead of applying the call twice.
 *
 * <p><b>Thread safety.</b> Thread-safe and immutable once built; share one per DataSource. The
 * store borrows a connection per call and always gives it back (with its auto-commit mode as it
 * was); pooling is the DataSource's business.
 */
public final class JdbcWalletStore implements WalletStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcWalletStore.class);

  /** The schema version this release reads and writes. */
  public static final int SCHEMA_VERSION = 1;
  /** The class path resource of the migration script that creates the schema's version 1. */
  public static final String SCHEMA_RESOURCE = "db/creditgate-postgresql/V1__creditgate.sql";
  /** How often a call is tried before a transient failure is reported: {@value}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** The wait before the first retry of a transient failure; it doubles on each retry. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(20);
  /** How many ledger rows {@link #readLedger} fetches per round trip: {@value}. */
  public static final int DEFAULT_LEDGER_FETCH_SIZE = 500;

  /** How the store keeps concurrent mutations of one wallet apart. */
  public enum Locking {
    /**
     * Lock the wallet's row for the decision ({@code SELECT ... FOR UPDATE}): mutations of one
     * wallet queue on the lock and each decides once. The default: on one wallet contended by 16
     * threads it measured 7 to 31% faster, with no conflict retries; without contention it measured
     * 5 to 25% slower than {@link #OPTIMISTIC} (see the README's PostgreSQL section).
     */
    ROW_LOCK,
    /**
     * Read without locks, decide, and commit conditionally on the version read; decide again when
     * another commit came first ({@link WalletStore#mutate}'s loop).
     */
    OPTIMISTIC
  }

  // Key of the advisory lock that serializes createSchema() across processes ("creditgt").
  private static final long SCHEMA_LOCK_KEY = 0x6372656469746774L;
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(2).toNanos();

  private final DataSource dataSource;
  private final String schema;
  private final Locking locking;
  private final int maxAttempts;
  private final long backoffNanos;
  private final int fetchSize;
  private final Sql sql;
  private volatile boolean schemaVerified;

  private JdbcWalletStore(Builder b) {
    this.dataSource = b.dataSource;
    this.schema = b.schema;
    this.locking = b.locking;
    this.maxAttempts = b.maxAttempts;
    this.backoffNanos = b.backoff.toNanos();
    this.fetchSize = b.fetchSize;
    this.sql = new Sql(b.schema == null ? "" : b.schema + ".");
  }

  /**
   * The entry point: a builder for a store on {@code dataSource}, which should be a connection
   * pool. Building does not connect; {@link #verifySchema()} checks the database eagerly.
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Failures.requireNonNull(dataSource, "dataSource"));
  }

  /** How this store keeps concurrent mutations of one wallet apart. */
  public Locking locking() {
    return locking;
  }

  // ------------------------------------------------------------------------------------ schema

  /**
   * Creates the tables if they do not exist, by running {@link #SCHEMA_RESOURCE} in one
   * transaction (in the builder's schema, created if needed, or else in the first schema of the
   * connection's search path). Idempotent, and safe to call from several instances at once.
   *
   * @throws dev.creditgate.spi.SchemaMismatchException if tables of another version exist
   */
  public void createSchema() {
    String script = schemaScript();
    inTransaction("creating the creditgate schema", tx -> {
      Connection c = tx.connection;
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK_KEY + ")");
        if (schema != null) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
          s.execute("SET LOCAL search_path TO " + schema);
        }
        int found = installedVersion(c);
        if (found == 0) {
          for (String statement : statements(script)) {
            s.execute(statement);
          }
          log.info("created the creditgate schema version {}{}", SCHEMA_VERSION,
              schema == null ? "" : " in schema " + schema);
        } else if (found != SCHEMA_VERSION) {
          throw Failures.schemaMismatch("creating the creditgate schema", SCHEMA_VERSION, found, SCHEMA_RESOURCE);
        }
      }
      return null;
    });
    schemaVerified = true;
  }

  /**
   * Checks now that the database is reachable and holds the tables at {@link #SCHEMA_VERSION}; the
   * store otherwise checks on first use. Call it at start-up to fail fast.
   *
   * @throws dev.creditgate.spi.SchemaMissingException if the tables do not exist
   * @throws dev.creditgate.spi.SchemaMismatchException if they are of another version
   * @throws dev.creditgate.spi.StoreUnavailableException if the database cannot be reached
   */
  public void verifySchema() {
    int found = read("checking the creditgate schema", this::installedVersion);
    if (found == 0) {
      throw Failures.schemaMissing("checking the creditgate schema" + (schema == null ? "" : " in schema " + schema),
          SCHEMA_RESOURCE, null);
    }
    if (found != SCHEMA_VERSION) {
      throw Failures.schemaMismatch("checking the creditgate schema", SCHEMA_VERSION, found, SCHEMA_RESOURCE);
    }
    schemaVerified = true;
  }

  private void ensureSchema() {
    if (!schemaVerified) {
      verifySchema();
    }
  }

  /** The installed schema version, 0 when the version table does not exist; takes no lock. */
  private int installedVersion(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, sql.versionTable);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return 0;
        }
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM " + sql.versionTable)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static String schemaScript() {
    try (InputStream in = JdbcWalletStore.class.getResourceAsStream("/" + SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the creditgate jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SCHEMA_RESOURCE, e);
    }
  }

  /** The script's statements, without comments; the script has no string containing "--" or ";". */
  static List<String> statements(String script) {
    StringBuilder code = new StringBuilder();
    for (String line : script.split("\n")) {
      int comment = line.indexOf("--");
      code.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
    }
    List<String> statements = new ArrayList<>();
    for (String part : code.toString().split(";")) {
      if (!part.isBlank()) {
        statements.add(part.trim());
      }
    }
    return statements;
  }

  // ------------------------------------------------------------------------------------- reads

  @Override
  public Optional<StoredWallet> load(AccountId account) {
    Failures.requireNonNull(account, "account");
    if (unstorable(account.value())) {
      return Optional.empty();
    }
    ensureSchema();
    return read("loading wallet '" + account + "'", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.loadWallet)) {
        ps.setString(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(storedWallet(account, rs.getLong(1), rs.getString(2))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(key, "key");
    ensureSchema();
    return read("reading key '" + key + "' of '" + account + "'", c -> findRecord(c, account, key));
  }

  private Optional<IdempotencyRecord> findRecord(Connection c, AccountId account, IdempotencyKey key)
      throws SQLException {
    if (unstorable(account.value()) || unstorable(key.value())) {
      return Optional.empty();
    }
    try (PreparedStatement ps = c.prepareStatement(sql.findRecord)) {
      ps.setString(1, account.value());
      ps.setString(2, key.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(key, rs.getString(1), rs.getString(2), Instants.read(rs, 3)));
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs one query through a server-side cursor ({@link Builder#ledgerFetchSize} rows per round
   * trip) in a read-only transaction of its own, so entries stream in bounded memory from one
   * consistent snapshot. {@code consumer} runs while the cursor is open: keep it quick. A transient
   * failure is retried only before the first entry was handed over; afterwards it is thrown, so
   * the consumer never sees an entry twice.
   */
  @Override
  public void readLedger(AccountId account, Instant from, Instant to, Consumer<? super LedgerEntry> consumer) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(from, "from");
    Failures.requireNonNull(to, "to");
    Failures.requireNonNull(consumer, "consumer");
    if (!from.isBefore(to) || unstorable(account.value())) {
      return;
    }
    ensureSchema();
    boolean[] delivered = {false};
    String what = "reading the ledger of '" + account + "'";
    for (int attempt = 1; ; attempt++) {
      try {
        streamLedger(account, from, to, consumer, delivered);
        return;
      } catch (SQLException e) {
        if (delivered[0] || !retryable(what, e, attempt)) {
          throw Failures.giveUp(what, e, attempt, SCHEMA_RESOURCE);
        }
      }
    }
  }

  private void streamLedger(AccountId account, Instant from, Instant to, Consumer<? super LedgerEntry> consumer,
      boolean[] delivered) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      // PostgreSQL streams with a fetch size only inside a transaction; otherwise it reads all rows.
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql.readLedger)) {
        ps.setFetchSize(fetchSize);
        ps.setString(1, account.value());
        // The column holds whole microseconds; the exact bounds are checked below.
        Instants.bindMicros(ps, 2, from);
        Instants.bindMicros(ps, 3, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Instant at = Instants.read(rs, 1);
            if (at.isBefore(from) || !at.isBefore(to)) {
              continue;
            }
            LedgerEntry entry = new LedgerEntry(account, at, LedgerEntry.Kind.valueOf(rs.getString(3)),
                rs.getString(4), Credits.ofThousandths(rs.getLong(5)), rs.getString(6), rs.getString(7));
            delivered[0] = true;
            consumer.accept(entry);
          }
        }
      } finally {
        endQuietly(c, autoCommit);
      }
    }
  }

  @Override
  public List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit) {
    Failures.requireNonNull(at, "at");
    Failures.requirePositive(limit, "limit");
    ensureSchema();
    return read("finding wallets with expired holds", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.expiredHolds)) {
        Instant micros = Instants.truncate(at);
        Instants.bindMicros(ps, 1, at);
        Instants.bindMicros(ps, 2, at);
        ps.setInt(3, at.getNano() - micros.getNano());
        ps.setInt(4, limit);
        List<AccountId> found = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(AccountId.of(rs.getString(1)));
          }
        }
        return found;
      }
    });
  }

  // ------------------------------------------------------------------------------------ writes

  @Override
  public boolean commit(Commit commit) {
    Failures.requireNonNull(commit, "commit");
    ensureSchema();
    return inTransaction("committing to wallet '" + commit.account() + "'", tx -> writeAndCommit(tx, commit));
  }

  /**
   * {@inheritDoc}
   *
   * <p>With {@link Locking#ROW_LOCK}, one transaction locks the wallet's row and reads the record of
   * {@code key} as of after the lock was granted (so it sees every commit that came before), lets
   * {@code mutation} decide and writes its commit; {@code mutation} runs again only after a
   * transient failure rolled everything back. With {@link Locking#OPTIMISTIC}, one transaction
   * reads the wallet and the record in one statement without locking, lets {@code mutation}
   * decide and writes conditionally on the version read; a lost race rolls back and decides again.
   */
  @Override
  public <R> R mutate(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(key, "key");
    Failures.requireNonNull(mutation, "mutation");
    requireStorable(key.value(), "idempotency key");
    ensureSchema();
    String what = "changing wallet '" + account + "' (key '" + key + "')";
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Attempt<R> result = inTransaction(what, tx -> locking == Locking.ROW_LOCK
          ? lockedAttempt(tx, account, key, mutation)
          : optimisticAttempt(tx, account, key, mutation));
      if (result.done) {
        return result.result;
      }
      conflictPause(attempt);
    }
    throw new StoreException("wallet '" + account + "' stayed contended for " + MAX_ATTEMPTS
        + " attempts; nothing was written, retry with the same key");
  }

  private <R> Attempt<R> lockedAttempt(Transaction tx, AccountId account, IdempotencyKey key,
      Mutation<R> mutation) throws SQLException {
    Connection c = tx.connection;
    StoredWallet stored;
    Optional<IdempotencyRecord> record;
    try (PreparedStatement ps = c.prepareStatement(sql.lockWithRecord)) {
      ps.setString(1, key.value());
      ps.setString(2, account.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new UnknownAccountException(account);
        }
        stored = storedWallet(account, rs.getLong(1), rs.getString(2));
        record = record(rs, key);
        // In READ COMMITTED, a statement that waited for the lock gets the wallet as the lock holder
        // committed it, but the joined record (and the sub-select's version) as of before the
        // wait. Only then is the record read again, in a statement of its own.
        if (rs.getLong(7) != stored.version()) {
          record = findRecord(c, account, key);
        }
      }
    }
    Mutation.Outcome<R> outcome = mutation.decide(stored, record);
    Commit commit = outcome.commit();
    if (commit == null) {
      return new Attempt<>(true, outcome.result());
    }
    requireSameAccount(account, commit);
    // Under the lock this fails only if the mutation committed from another version or reused a
    // stored key; like a lost race, that means: decide again.
    return new Attempt<>(writeAndCommit(tx, commit), outcome.result());
  }

  /** The record in columns 3..6 of a row that joined the wallet with its key's record. */
  private static Optional<IdempotencyRecord> record(ResultSet rs, IdempotencyKey key) throws SQLException {
    String request = rs.getString(3);
    return request == null ? Optional.empty()
        : Optional.of(new IdempotencyRecord(key, request, rs.getString(4), Instants.read(rs, 5)));
  }

  /**
   * Reads the wallet and the key's record in one statement (one snapshot, no lock), decides, and
   * writes conditionally on the version read, all on one connection; a lost race rolls back.
   */
  private <R> Attempt<R> optimisticAttempt(Transaction tx, AccountId account, IdempotencyKey key,
      Mutation<R> mutation) throws SQLException {
    Connection c = tx.connection;
    StoredWallet stored;
    Optional<IdempotencyRecord> record;
    try (PreparedStatement ps = c.prepareStatement(sql.loadWithRecord)) {
      ps.setString(1, key.value());
      ps.setString(2, account.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new UnknownAccountException(account);
        }
        stored = storedWallet(account, rs.getLong(1), rs.getString(2));
        record = record(rs, key);
      }
    }
    Mutation.Outcome<R> outcome = mutation.decide(stored, record);
    Commit commit = outcome.commit();
    if (commit == null) {
      return new Attempt<>(true, outcome.result());
    }
    requireSameAccount(account, commit);
    return new Attempt<>(writeAndCommit(tx, commit), outcome.result());
  }

  private static void requireSameAccount(AccountId account, Commit commit) {
    if (!commit.account().equals(account)) {
      throw new IllegalStateException("a mutation of '" + account + "' tried to commit to '"
          + commit.account() + "'");
    }
  }

  /**
   * Writes {@code commit} as the last statement of the open transaction {@code tx} and commits it,
   * in one round trip: the write (the wallet row first, which takes its lock, then, only if that
   * matched, the ledger entries and the records) and a {@code COMMIT} go to the server together.
   * The write is all or nothing by itself, so the {@code COMMIT} can only commit all of it or
   * nothing: a version that moved matches no row and writes nothing at all, and a key that is
   * already stored fails the whole statement with a unique violation, after which the server skips
   * the {@code COMMIT} and the transaction is rolled back. Returns {@code false}, with nothing
   * written, in both cases; either way the transaction has ended when it returns.
   */
  private boolean writeAndCommit(Transaction tx, Commit commit) throws SQLException {
    Connection c = tx.connection;
    Wallet wallet = commit.wallet();
    String state = WalletCodec.encode(wallet);
    requireStorable(commit, state);
    Instant nextExpiry = null;
    for (Hold hold : wallet.holds()) {
      if (nextExpiry == null || hold.expiresAt().isBefore(nextExpiry)) {
        nextExpiry = hold.expiresAt();
      }
    }
    String account = commit.account().value();
    try (PreparedStatement ps = c.prepareStatement(
        commit.expectedVersion() == 0 ? sql.insertWalletAndCommit : sql.updateWalletAndCommit)) {
      int next;
      if (commit.expectedVersion() == 0) {
        ps.setString(1, account);
        ps.setString(2, state);
        Instants.bindNullable(ps, 3, nextExpiry);
        next = 5;
      } else {
        ps.setLong(1, Math.addExact(commit.expectedVersion(), 1));
        ps.setString(2, state);
        Instants.bindNullable(ps, 3, nextExpiry);
        ps.setString(5, account);
        ps.setLong(6, commit.expectedVersion());
        next = 7;
      }
      bindEntries(c, ps, next, commit.entries());
      bindRecords(c, ps, next + 7, commit.records());
      try {
        // Two statements, one round trip: PostgreSQL's driver sends both with a single Sync.
        ps.execute();
      } catch (SQLException e) {
        if (!Failures.isStoredKey(e)) {
          throw e;
        }
        // A key of the commit is stored already: the write failed as a whole and the COMMIT was
        // skipped. Like a moved version, that means: decide again.
        c.rollback();
        tx.ended = true;
        return false;
      }
      tx.ended = true;
      try (ResultSet rs = ps.getResultSet()) {
        rs.next();
        return rs.getLong(1) == 1;
      }
    }
  }

  /** Binds the entries, as one array per column in commit order, to 7 parameters from {@code index}. */
  private static void bindEntries(Connection c, PreparedStatement ps, int index, List<LedgerEntry> entries)
      throws SQLException {
    int n = entries.size();
    List<Instant> at = new ArrayList<>(n);
    String[] kind = new String[n];
    String[] grant = new String[n];
    Long[] amount = new Long[n];
    String[] operation = new String[n];
    String[] key = new String[n];
    for (int i = 0; i < n; i++) {
      LedgerEntry e = entries.get(i);
      at.add(e.at());
      kind[i] = e.kind().name();
      grant[i] = e.grant();
      amount[i] = e.amount().thousandths();
      operation[i] = e.operation();
      key[i] = e.key();
    }
    Instants.bindArrays(c, ps, index, at);
    ps.setArray(index + 2, c.createArrayOf("text", kind));
    ps.setArray(index + 3, c.createArrayOf("text", grant));
    ps.setArray(index + 4, c.createArrayOf("int8", amount));
    ps.setArray(index + 5, c.createArrayOf("text", operation));
    ps.setArray(index + 6, c.createArrayOf("text", key));
  }

  /** Binds the records, as one array per column, to 5 parameters from {@code index}. */
  private static void bindRecords(Connection c, PreparedStatement ps, int index, List<IdempotencyRecord> records)
      throws SQLException {
    int n = records.size();
    String[] key = new String[n];
    String[] request = new String[n];
    String[] result = new String[n];
    List<Instant> at = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      IdempotencyRecord r = records.get(i);
      key[i] = r.key().value();
      request[i] = r.request();
      result[i] = r.result();
      at.add(r.at());
    }
    ps.setArray(index, c.createArrayOf("text", key));
    ps.setArray(index + 1, c.createArrayOf("text", request));
    ps.setArray(index + 2, c.createArrayOf("text", result));
    Instants.bindArrays(c, ps, index + 3, at);
  }

  /** PostgreSQL's text cannot hold U+0000: refuse such a commit before writing anything. */
  private static void requireStorable(Commit commit, String state) {
    List<String> texts = new ArrayList<>(List.of(state));
    for (LedgerEntry e : commit.entries()) {
      texts.addAll(List.of(e.grant(), e.operation(), e.key()));
    }
    for (IdempotencyRecord r : commit.records()) {
      texts.addAll(List.of(r.key().value(), r.request(), r.result()));
    }
    for (String text : texts) {
      requireStorable(text, "text in a commit to '" + commit.account() + "'");
    }
  }

  private static void requireStorable(String text, String name) {
    if (unstorable(text)) {
      throw new InvalidRequestException(name + " '" + text.replace('\0', '?')
          + "' contains the character U+0000, which PostgreSQL cannot store");
    }
  }

  /** Whether PostgreSQL's text type cannot hold {@code text}: nothing with U+0000 is ever stored. */
  private static boolean unstorable(String text) {
    return text.indexOf('\0') >= 0;
  }

  private static StoredWallet storedWallet(AccountId account, long version, String state) {
    Wallet wallet;
    try {
      wallet = WalletCodec.decode(state);
    } catch (IllegalArgumentException e) {
      throw Failures.corruptState(account.value(), e);
    }
    if (!wallet.account().equals(account)) {
      throw Failures.corruptState(account.value(),
          new IllegalArgumentException("row holds the wallet of '" + wallet.account() + "'"));
    }
    return new StoredWallet(wallet, version);
  }

  // ----------------------------------------------------------------------- transactions, retry

  /** Work on a borrowed connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** The connection of one transaction, and whether the work ended the transaction itself. */
  private static final class Transaction {
    final Connection connection;
    /** Set once the transaction committed along with its last write, or was rolled back. */
    boolean ended;

    Transaction(Connection connection) {
      this.connection = connection;
    }
  }

  /** Work in a transaction on a borrowed connection. */
  @FunctionalInterface
  private interface TransactionWork<T> {
    T run(Transaction tx) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on a connection of its own, committing if it returns (and
   * did not end the transaction itself) and rolling back if it throws; a transient failure rolls
   * back and runs it again, within the budget.
   */
  private <T> T inTransaction(String what, TransactionWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        Transaction tx = new Transaction(c);
        try {
          T result = work.run(tx);
          if (!tx.ended) {
            c.commit();
            tx.ended = true;
          }
          return result;
        } finally {
          if (!tx.ended) {
            rollbackQuietly(c);
          }
          // With the transaction ended, PostgreSQL's driver sends nothing here: it knows from the
          // server's last reply that no transaction is open.
          endQuietly(c, autoCommit);
        }
      } catch (SQLException e) {
        if (!retryable(what, e, attempt)) {
          throw Failures.giveUp(what, e, attempt, SCHEMA_RESOURCE);
        }
      }
    }
  }

  /** Runs read-only {@code work} without starting a transaction of its own. */
  private <T> T read(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        try {
          return work.run(c);
        } finally {
          if (!c.getAutoCommit()) {
            // The pool hands out connections in manual-commit mode: end the read's transaction.
            rollbackQuietly(c);
          }
        }
      } catch (SQLException e) {
        if (!retryable(what, e, attempt)) {
          throw Failures.giveUp(what, e, attempt, SCHEMA_RESOURCE);
        }
      }
    }
  }

  /** Whether to try again after {@code e}; if so, waits first. */
  private boolean retryable(String what, SQLException e, int attempt) {
    Failures.Kind kind = Failures.classify(e);
    if (!kind.transientFault || attempt >= maxAttempts) {
      return false;
    }
    log.debug("{}: transient failure ({}, SQLState {}), attempt {} of {}", what, kind, e.getSQLState(), attempt,
        maxAttempts, e);
    long cap = Math.min(MAX_BACKOFF_NANOS, backoffNanos << Math.min(attempt - 1, 20));
    sleep(what, cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    return true;
  }

  /**
   * After a lost optimistic race: spin first, then sleep a random, growing while so that the
   * contenders spread out instead of colliding again.
   */
  private void conflictPause(int attempt) {
    if (attempt < 2) {
      Thread.onSpinWait();
      return;
    }
    long capMicros = Math.min(20_000, 100L << Math.min(attempt - 2, 10));
    sleep("waiting after a lost race", ThreadLocalRandom.current().nextLong(capMicros + 1) * 1000);
  }

  private static void sleep(String what, long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.interrupted(what, e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      log.debug("rollback failed; the connection is broken and the database rolls back on its own", e);
    }
  }

  /** Ends any open transaction and gives the connection back in its original auto-commit mode. */
  private static void endQuietly(Connection c, boolean autoCommit) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      c.setAutoCommit(autoCommit);
    } catch (SQLException | RuntimeException e) {
      log.debug("could not reset the connection; it is broken and the pool should drop it", e);
    }
  }

  private record Attempt<R>(boolean done, R result) {}

  /** The statements, with table names qualified by the configured schema. */
  private static final class Sql {
    final String versionTable;
    final String loadWallet;
    final String loadWithRecord;
    final String lockWithRecord;
    final String findRecord;
    final String insertWalletAndCommit;
    final String updateWalletAndCommit;
    final String readLedger;
    final String expiredHolds;

    Sql(String prefix) {
      String wallet = prefix + "creditgate_wallet";
      String ledger = prefix + "creditgate_ledger";
      String records = prefix + "creditgate_idempotency";
      versionTable = prefix + "creditgate_schema_version";
      loadWallet = "SELECT version, state FROM " + wallet + " WHERE account_id = ?";
      loadWithRecord = "SELECT w.version, w.state, r.request, r.result, r.at, r.at_nanos FROM " + wallet
          + " w LEFT JOIN " + records + " r ON r.account_id = w.account_id AND r.idempotency_key = ?"
          + " WHERE w.account_id = ?";
      lockWithRecord = "SELECT w.version, w.state, r.request, r.result, r.at, r.at_nanos,"
          + " (SELECT s.version FROM " + wallet + " s WHERE s.account_id = w.account_id) FROM " + wallet
          + " w LEFT JOIN " + records + " r ON r.account_id = w.account_id AND r.idempotency_key = ?"
          + " WHERE w.account_id = ? FOR UPDATE OF w";
      findRecord = "SELECT request, result, at, at_nanos FROM " + records
          + " WHERE account_id = ? AND idempotency_key = ?";
      // A commit is one statement, sent together with the COMMIT: one round trip. The ledger
      // entries and the records join the row the wallet's part returned: they are written only if
      // it matched (a version that moved, or a wallet that exists already, writes nothing), and
      // only after it locked the row. The entries come as one array per column and go in in array
      // order, so that the ids nextval() hands out keep the commit's order. A key that is stored
      // already violates the records' primary key and fails the whole statement (no ON CONFLICT:
      // the statement must write all or nothing, since the COMMIT follows it unconditionally).
      String writes = ", ledger_rows AS (INSERT INTO " + ledger
          + " (account_id, at, at_nanos, kind, grant_name, amount, operation, idempotency_key)"
          + " SELECT w.account_id, e.at, e.at_nanos, e.kind, e.grant_name, e.amount, e.operation, e.idempotency_key"
          + " FROM w, unnest(?::timestamptz[], ?::int4[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[])"
          + " WITH ORDINALITY AS e(at, at_nanos, kind, grant_name, amount, operation, idempotency_key, n)"
          + " ORDER BY e.n)"
          + ", record_rows AS (INSERT INTO " + records + " (account_id, idempotency_key, request, result, at, at_nanos)"
          + " SELECT w.account_id, r.idempotency_key, r.request, r.result, r.at, r.at_nanos"
          + " FROM w, unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::int4[])"
          + " AS r(idempotency_key, request, result, at, at_nanos))"
          + " SELECT count(*) FROM w; COMMIT";
      insertWalletAndCommit = "WITH w AS (INSERT INTO " + wallet
          + " (account_id, version, state, next_hold_expiry, next_hold_expiry_nanos) VALUES (?, 1, ?, ?, ?)"
          + " ON CONFLICT (account_id) DO NOTHING RETURNING account_id)" + writes;
      updateWalletAndCommit = "WITH w AS (UPDATE " + wallet + " SET version = ?, state = ?, next_hold_expiry = ?,"
          + " next_hold_expiry_nanos = ? WHERE account_id = ? AND version = ? RETURNING account_id)" + writes;
      readLedger = "SELECT at, at_nanos, kind, grant_name, amount, operation, idempotency_key FROM " + ledger
          + " WHERE account_id = ? AND at >= ? AND at <= ? ORDER BY id";
      expiredHolds = "SELECT account_id FROM " + wallet + " WHERE next_hold_expiry <= ?"
          + " AND (next_hold_expiry < ? OR next_hold_expiry_nanos <= ?) ORDER BY next_hold_expiry LIMIT ?";
    }
  }

  /**
   * Configures a {@link JdbcWalletStore}. Defaults: tables in the connection's search path,
   * {@link Locking#ROW_LOCK}, {@value #DEFAULT_MAX_ATTEMPTS} attempts, 20 ms first backoff.
   */
  public static final class Builder {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private String schema;
    private Locking locking = Locking.ROW_LOCK;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration backoff = DEFAULT_RETRY_BACKOFF;
    private int fetchSize = DEFAULT_LEDGER_FETCH_SIZE;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Keeps the tables in this PostgreSQL schema instead of the first schema of the search path.
     *
     * @param name a lower-case unquoted identifier, such as {@code billing}
     */
    public Builder schema(String name) {
      Failures.requireNonNull(name, "schema");
      if (!IDENTIFIER.matcher(name).matches()) {
        throw new InvalidRequestException("schema '" + name
            + "' must be a lower-case identifier: a letter or '_', then letters, digits or '_', at most 63");
      }
      this.schema = name;
      return this;
    }

    /** How concurrent mutations of one wallet are kept apart; {@link Locking#ROW_LOCK} by default. */
    public Builder locking(Locking locking) {
      this.locking = Failures.requireNonNull(locking, "locking");
      return this;
    }

    /** How often a call is tried in all when it meets transient failures; 1 turns retries off. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 100) {
        throw new InvalidRequestException("max attempts must be within 1..100 but was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The wait before the first retry; each further retry waits about twice as long, at most 2 s. */
    public Builder retryBackoff(Duration first) {
      Failures.requireNonNull(first, "retryBackoff");
      if (first.isNegative() || first.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new InvalidRequestException("retry backoff must be within 0..10s but was " + first);
      }
      this.backoff = first;
      return this;
    }

    /** How many ledger rows {@link JdbcWalletStore#readLedger} fetches per round trip. */
    public Builder ledgerFetchSize(int rows) {
      if (rows < 1 || rows > 100_000) {
        throw new InvalidRequestException("ledger fetch size must be within 1..100000 but was " + rows);
      }
      this.fetchSize = rows;
      return this;
    }

    /** The store; does not connect to the database. */
    public JdbcWalletStore build() {
      return new JdbcWalletStore(this);
    }
  }
}
