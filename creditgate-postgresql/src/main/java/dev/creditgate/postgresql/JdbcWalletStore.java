package dev.creditgate.postgresql;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A {@link WalletStore} in PostgreSQL, through JDBC: wallets, ledgers and idempotency records
 * shared by every service instance that uses the same database.
 *
 * <pre>{@code
 * JdbcWalletStore store = JdbcWalletStore.builder(dataSource).build();
 * store.createSchema();                        // or apply V1__creditgate.sql with Flyway/Liquibase
 * CreditGate gate = CreditGate.builder(store).build();
 * }</pre>
 *
 * <p><b>Write shapes.</b> The store offers both of the SPI's: its {@link #transaction()}, whose
 * {@link WalletTransaction#attempt attempt} runs one read-decide-write of a mutation in one
 * database transaction, in both {@linkplain Locking lock modes}, and the conditional
 * {@link #commit}. It holds no business rule: the gate's mutation decides, and the gate owns the
 * loop: it decides again after a lost race and tries again after a transient failure of an
 * attempt; the store retries only work that runs no decision (below).
 *
 * <p><b>Guarantees.</b> Each attempt and each commit is one database transaction: the wallet, its
 * ledger entries and its idempotency records commit together or not at all. By default
 * ({@link Locking#ROW_LOCK}) an attempt locks the wallet's row ({@code SELECT ... FOR UPDATE}),
 * reads the idempotency record, lets the mutation decide and writes before it commits, so that
 * concurrent attempts on one wallet, from any number of threads and processes, run one after the
 * other and never lose a race: no lost update, no double spend, no key applied twice. An attempt
 * locks exactly one wallet row, always before anything else, so two attempts cannot deadlock each
 * other. With {@link Locking#OPTIMISTIC} an attempt reads without locks and writes conditionally
 * on the version it read; when another commit came first it writes nothing and reports the lost
 * race, and the gate decides again. {@link #commit} is conditional on the wallet's version and
 * returns {@code false} (writing nothing) when the version moved or an idempotency key is already
 * stored.
 *
 * <p><b>Round trips.</b> An attempt that writes takes two: the read (locking the wallet's row, or
 * not), then its write, one statement sent together with the {@code COMMIT}. The write is all or
 * nothing by itself (a moved version writes nothing, a stored key fails the whole statement), so
 * the {@code COMMIT} that follows it commits all of it or nothing. An attempt that only answers
 * (a denial, a replay) reads and commits: two round trips as well. {@link #commit} is one.
 *
 * <p><b>Reads</b> ({@link #load}, {@link #findRecord}, {@link #readLedger}) take no locks and never
 * wait for writers; {@link #readLedger} streams through a cursor, so a long history never sits in
 * memory.
 *
 * <p><b>Failures.</b> An {@linkplain WalletTransaction#attempt attempt} runs once: the mutation
 * decides at most once in it, and the store never runs it again. A serialization failure (SQLState
 * 40001) or deadlock (40P01) in it wrote nothing and is reported as a lost race, so the gate
 * decides again within its budget for lost races; a broken or refused connection (08xxx), a server
 * that is stopping, starting or has too many connections (57P01..03, 53300) and a pool that timed
 * out throw {@link dev.creditgate.spi.StoreUnavailableException}, and a time-out or a lack of
 * resources (57014, 55P03, other 53xxx) a {@link StoreException}: all retry-safe, which the gate
 * tries again within its own budget for transient failures. A failure that retrying cannot fix (an
 * internal error XX000, corrupt data, a constraint, a privilege) says so in its message, and the
 * store never retries it. Reads
 * and the conditional {@link #commit}, which run no decision, retry those transient failures
 * themselves, on a new connection, up to {@link Builder#maxAttempts(int)} times with jittered
 * exponential backoff; after that they throw {@link dev.creditgate.spi.StoreUnavailableException}
 * (connection) or {@link StoreException} (conflicts), with nothing partially written. A missing
 * schema throws {@link dev.creditgate.spi.SchemaMissingException}, a schema of another version
 * {@link dev.creditgate.spi.SchemaMismatchException}; the gate does not retry those. None of these
 * is ever reported as a denial for lack of credits. If a connection breaks while the database
 * commits, the store cannot know whether the commit landed; the gate's next attempt reads the
 * idempotency record again, and a retried {@link #commit} finds the version moved or the key
 * stored and reports a lost race, so the first answer is returned instead of the call applied
 * twice.
 *
 * <p><b>Thread safety.</b> Thread-safe and immutable once built; share one per DataSource. The
 * store borrows a connection per call and always gives it back (with its auto-commit mode as it
 * was); pooling is the DataSource's business.
 */
public final class JdbcWalletStore implements WalletStore {
  /** The schema version this release reads and writes. */
  public static final int SCHEMA_VERSION = 1;
  /** The class path resource of the migration script that creates the schema's version 1. */
  public static final String SCHEMA_RESOURCE = "db/creditgate-postgresql/V1__creditgate.sql";
  /**
   * How often a read or a conditional {@link #commit} is tried before a transient failure is
   * reported: {@value}. An attempt of the store's transaction is tried once (the gate tries again).
   */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** The wait before the first retry of a transient failure; it doubles on each retry. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(20);
  /** How many ledger rows {@link #readLedger} fetches per round trip: {@value}. */
  public static final int DEFAULT_LEDGER_FETCH_SIZE = 500;

  /** How the store keeps concurrent mutations of one wallet apart. */
  public enum Locking {
    /**
     * An attempt locks the wallet's row for the decision ({@code SELECT ... FOR UPDATE}): attempts
     * on one wallet queue on the lock, and each decides once and never loses a race. The default:
     * on one wallet contended by 16 threads it measured 7 to 31% faster, with no conflict retries;
     * without contention it measured 5 to 25% slower than {@link #OPTIMISTIC} (see the README's
     * PostgreSQL section).
     */
    ROW_LOCK,
    /**
     * An attempt reads without locks, lets the mutation decide, and writes conditionally on the
     * version read; when another commit came first it writes nothing, and the gate decides again.
     */
    OPTIMISTIC
  }

  private final Locking locking;
  private final Transactions transactions;
  private final SchemaInstaller schema;
  private final Reads reads;
  private final CommitWriter writer;
  private final Optional<WalletTransaction> transaction;

  private JdbcWalletStore(Builder b) {
    this.locking = b.locking;
    Statements sql = new Statements(b.schema);
    this.transactions = new Transactions(b.dataSource, b.maxAttempts, b.backoff);
    this.schema = new SchemaInstaller(b.schema, sql, transactions);
    this.reads = new Reads(sql, transactions, schema, b.fetchSize);
    this.writer = new CommitWriter(sql);
    this.transaction = Optional.of(new JdbcWalletTransaction(locking, sql, transactions, schema, reads, writer));
  }

  /**
   * The entry point: a builder for a store on {@code dataSource}, which should be a connection
   * pool. Building does not connect; {@link #verifySchema()} checks the database eagerly.
   *
   * @param dataSource where the store borrows a connection for each call; it gives each back
   * @return a builder with the defaults (see {@link Builder})
   * @throws InvalidRequestException if {@code dataSource} is null
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Failures.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * How this store keeps concurrent mutations of one wallet apart.
   *
   * @return the mode the builder set, {@link Locking#ROW_LOCK} by default
   */
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
    schema.createSchema();
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
    schema.verifySchema();
  }

  // ------------------------------------------------------------------------------------- reads

  @Override
  public Optional<StoredWallet> load(AccountId account) {
    return reads.load(account);
  }

  @Override
  public Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
    return reads.findRecord(account, key);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs one query through a server-side cursor ({@link Builder#ledgerFetchSize} rows per round
   * trip) in a transaction of its own, on a connection the stream holds until it is closed, so
   * entries stream in bounded memory from one consistent snapshot. A transient failure is retried
   * while the cursor opens; once entries flow it ends the stream with a {@link StoreException}, so
   * no entry is ever handed over twice.
   */
  @Override
  public Stream<LedgerEntry> readLedger(AccountId account, Instant from, Instant to) {
    return reads.readLedger(account, from, to);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One read-only {@code REPEATABLE READ} transaction on one connection: the wallet row, then
   * the ledger through a cursor, both as of the transaction's first read. It takes no lock.
   */
  @Override
  public <R> Optional<R> snapshot(AccountId account, BiFunction<StoredWallet, Stream<LedgerEntry>, R> reader) {
    return reads.snapshot(account, reader);
  }

  @Override
  public List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit) {
    return reads.accountsWithHoldsExpiredBy(at, limit);
  }

  // ------------------------------------------------------------------------------------ writes

  /**
   * {@inheritDoc}
   *
   * <p>One transaction of one round trip: the conditional write and its {@code COMMIT} go to the
   * server together.
   */
  @Override
  public boolean commit(Commit commit) {
    Failures.requireNonNull(commit, "commit");
    schema.ensureSchema();
    return transactions.inTransaction("committing to wallet '" + commit.account() + "'",
        tx -> writer.writeAndCommit(tx, commit));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Both modes answer one: with {@link Locking#ROW_LOCK}, an attempt locks the wallet's row and
   * reads the record of {@code key} as of after the lock was granted (so it sees every commit that
   * came before), lets the mutation decide and writes its commit; it never loses a race. With
   * {@link Locking#OPTIMISTIC}, it reads the wallet and the record in one statement without locking,
   * lets the mutation decide and writes conditionally on the version read; a lost race writes
   * nothing and the attempt reports it, for the gate to decide again. Either way on one
   * connection, in one transaction, run once: the mutation decides at most once, and the store
   * never runs the attempt again. A serialization failure or deadlock rolls back and is reported
   * as a lost race; any other failure rolls back and is thrown, and the gate tries a retry-safe one
   * again within its own budget ({@link Builder#maxAttempts(int)} does not apply).
   */
  @Override
  public Optional<WalletTransaction> transaction() {
    return transaction;
  }

  /**
   * Configures a {@link JdbcWalletStore}. Defaults: tables in the connection's search path,
   * {@link Locking#ROW_LOCK}, {@value #DEFAULT_MAX_ATTEMPTS} attempts for a read or a conditional
   * commit, 20 ms first backoff.
   */
  public static final class Builder {
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
     * The name is checked now, so that no statement can fail on it later.
     *
     * @param name a lower-case unquoted identifier, such as {@code billing}: a letter or
     *     {@code _}, then letters, digits or {@code _} ({@code [a-z_][a-z0-9_]*}), at most 63
     *     characters; not a reserved key word of PostgreSQL (such as {@code user}, {@code select}
     *     or {@code table}), not {@code information_schema}, and not starting with {@code pg_}
     *     (reserved for system schemas)
     * @return this builder
     * @throws InvalidRequestException naming the value if {@code name} is null or not such an
     *     identifier: empty, too long, starting with a digit, with upper-case letters (which
     *     PostgreSQL would fold to lower case) or other characters, reserved, or a system schema's
     */
    public Builder schema(String name) {
      this.schema = Failures.requireSchemaName(name, "schema");
      return this;
    }

    /**
     * How concurrent mutations of one wallet are kept apart; {@link Locking#ROW_LOCK} by default.
     *
     * @param locking the lock mode of the store's transaction
     * @return this builder
     * @throws InvalidRequestException if {@code locking} is null
     */
    public Builder locking(Locking locking) {
      this.locking = Failures.requireNonNull(locking, "locking");
      return this;
    }

    /**
     * How often a read ({@code load}, {@code findRecord}, {@code readLedger}, {@code snapshot},
     * the schema check) or a conditional {@code commit} is tried in all when it meets transient
     * failures; 1 turns the store's retries off. An attempt of the store's
     * {@linkplain JdbcWalletStore#transaction() transaction}, which runs the gate's decision, is
     * tried once whatever this says: the gate owns its retries.
     *
     * @param attempts the tries per read or commit, first included, 1..100; {@value #DEFAULT_MAX_ATTEMPTS}
     *     by default
     * @return this builder
     * @throws InvalidRequestException if {@code attempts} is outside 1..100
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 100) {
        throw new InvalidRequestException("maxAttempts", Integer.toString(attempts),
            "max attempts must be within 1..100 but was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * The wait before the first retry; each further retry waits about twice as long, at most 2 s.
     * Each wait is jittered: between half of it and all of it.
     *
     * @param first the first wait, 0..10 s ({@code 0} retries at once), though no wait is
     *     longer than the 2 s cap; 20 ms by default
     * @return this builder
     * @throws InvalidRequestException if {@code first} is null, negative or longer than 10 s
     */
    public Builder retryBackoff(Duration first) {
      Failures.requireNonNull(first, "retryBackoff");
      if (first.isNegative() || first.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new InvalidRequestException("retryBackoff", first.toString(),
            "retry backoff must be within 0..10s but was " + first);
      }
      this.backoff = first;
      return this;
    }

    /**
     * How many ledger rows {@link JdbcWalletStore#readLedger} fetches per round trip.
     *
     * @param rows the cursor's fetch size, 1..100000; {@value #DEFAULT_LEDGER_FETCH_SIZE} by
     *     default; {@link JdbcWalletStore#snapshot} reads its ledger with it too
     * @return this builder
     * @throws InvalidRequestException if {@code rows} is outside 1..100000
     */
    public Builder ledgerFetchSize(int rows) {
      if (rows < 1 || rows > 100_000) {
        throw new InvalidRequestException("ledgerFetchSize", Integer.toString(rows),
            "ledger fetch size must be within 1..100000 but was " + rows);
      }
      this.fetchSize = rows;
      return this;
    }

    /**
     * The store; does not connect to the database.
     *
     * @return a new store on the builder's DataSource with its current settings
     */
    public JdbcWalletStore build() {
      return new JdbcWalletStore(this);
    }
  }
}
