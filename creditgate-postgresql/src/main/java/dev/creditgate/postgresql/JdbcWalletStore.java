package dev.creditgate.postgresql;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.EventDelivery;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.RetryPolicy;
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
 * A {@link WalletStore} in PostgreSQL, through JDBC: wallets, ledgers, idempotency records and the
 * outbox of events, shared by every service instance that uses the same database.
 *
 * <pre>{@code
 * JdbcWalletStore store = JdbcWalletStore.builder(dataSource).build();
 * store.createSchema();        // or apply db/creditgate-postgresql/ with Flyway or Liquibase
 * CreditGate gate = CreditGate.builder(store).eventSink(sink).build();
 * }</pre>
 *
 * <p><b>Write shapes.</b> The store offers both of the SPI's: its {@link #transaction()}, whose
 * {@link WalletTransaction#attempt attempt} runs one read-decide-write of a mutation in one
 * database transaction, in both {@linkplain Locking lock modes}, and the conditional
 * {@link #commit}. It holds no business rule: the gate's mutation decides, and the gate owns the
 * loop and every retry in it. With {@link Builder#groupCommit(Duration) group commit} on, its
 * transaction gathers the calls this instance's threads make at the same time into one database
 * transaction and one commit, with the same guarantees per call.
 *
 * <p><b>Guarantees.</b> Each attempt and each commit is one database transaction: the wallet, its
 * ledger entries, its idempotency records and its events (into the outbox) commit together or not
 * at all. By default ({@link Locking#WALLET_LOCK}) an attempt takes the wallet's lock (a
 * transaction-scoped advisory lock keyed by the wallet table and the account), reads the wallet and
 * the idempotency record as committed by then, lets the mutation decide and writes before it
 * commits, so that concurrent attempts on one wallet, from any number of threads and processes,
 * run one after the other and never lose a race to each other: no lost update, no double spend,
 * no key applied twice. An attempt takes exactly one wallet's lock, always before anything else (a group
 * commit's batch takes its wallets' locks in the order of their keys), so two attempts cannot
 * deadlock each other. The write stays conditional on the version read, so a writer that takes no
 * lock (a hand-written {@code UPDATE}, an instance of an older version during a rolling upgrade)
 * can make an attempt lose a race, never lose an update. With {@link Locking#OPTIMISTIC} an attempt reads
 * without locks and writes conditionally on the version it read; when another commit came first
 * it writes nothing and reports the lost race, and the gate decides again. {@link #commit} is
 * conditional on the wallet's version and returns {@code false} (writing nothing) when the version
 * moved or an idempotency key is already stored.
 *
 * <p><b>Round trips.</b> An attempt that writes takes two: the read (after the wallet's lock, or
 * without one), then its write, one statement sent together with the {@code COMMIT}. The write is all or
 * nothing by itself (a moved version writes nothing, a stored key fails the whole statement), so
 * the {@code COMMIT} that follows it commits all of it or nothing. A commit that caused events
 * writes them in that same statement; one that caused none sends the statement without the
 * outbox's part. An attempt that only answers (a denial, a replay) reads and commits: two round
 * trips as well. {@link #commit} is one.
 *
 * <p><b>Outbox.</b> The events of a commit are rows of {@code creditgate_event}, written with it
 * and undelivered. {@link #deliverEvents(AccountId, EventDelivery, int)} delivers one account's in
 * one transaction: it takes the account's advisory lock without waiting
 * ({@code pg_try_advisory_xact_lock} on a 64-bit hash of the table and the account; if another
 * delivery holds it, it returns 0 at once), reads the undelivered events in sequence order, a batch
 * of at most 100 at a time, hands them over, and marks delivered exactly those the delivery
 * reports; two round trips for a delivery of up to 100 events. Two accounts whose keys collide (or
 * another application's advisory lock on the same number) only take turns: the one skipped is
 * delivered by the next call or run. What the delivery throws rolls the transaction back, so
 * nothing of that call is marked, and reaches the caller. {@link #deliverEvents(EventDelivery, int)}
 * first removes delivered events older than {@link Builder#deliveredEventRetention(Duration)} (by
 * the database's clock; at most 50,000 a run, in batches of 1,000 that skip rows another instance
 * is removing), then walks the accounts with undelivered events, oldest first, each in a
 * transaction of its own as above; it is safe to run on every instance at once. Finding those
 * accounts costs a probe of an index of the undelivered events per account, however many events
 * wait behind an account's first.
 *
 * <p><b>Reads</b> ({@link #load}, {@link #findRecord}, {@link #readLedger}) take no locks and never
 * wait for writers; {@link #readLedger} streams through a cursor, so a long history never sits in
 * memory.
 *
 * <p><b>Failures and the one retry budget.</b> The store tries every call once and has no retry
 * loop of its own: the gate tries a call again within the store's {@link #retryPolicy()}
 * ({@link Builder#retryPolicy(RetryPolicy)}; {@link RetryPolicy#DEFAULT} unless set), whatever
 * failed, so that policy bounds what a call can cost. A serialization failure (SQLState 40001) or
 * deadlock (40P01) in an attempt or a commit wrote nothing and is reported as a lost race. A
 * broken or refused connection (08xxx), a server that is stopping, starting or has too many
 * connections (57P01..03, 53300) and a pool that timed out throw
 * {@link dev.creditgate.spi.StoreUnavailableException}, and a time-out or a lack of resources
 * (57014, 55P03, other 53xxx) a {@link StoreException}: all retry-safe, all meaning nothing was
 * written. A failure that retrying cannot fix (an internal error XX000, corrupt data, a
 * constraint, a privilege) is a {@link dev.creditgate.spi.StoreFaultException}, which the gate
 * does not retry; nor does it retry a missing schema
 * ({@link dev.creditgate.spi.SchemaMissingException}) or one of another version
 * ({@link dev.creditgate.spi.SchemaMismatchException}). The one failure that cannot say whether
 * anything was written is a connection that breaks while the statement that commits a wallet's
 * change is under way (the write travels with its {@code COMMIT}): the store then throws
 * {@link dev.creditgate.spi.CommitOutcomeUnknownException}, never an exception that says nothing
 * was written, and the gate reads the key's record to learn whether the change landed (and
 * answers from it) or decides again. A failure before that statement was sent stays what it is.
 * None of these is ever reported as a denial for lack of credits.
 *
 * <p><b>The wallets it wrote.</b> The store remembers, per account, the wallet object of its last
 * commit, with the version and text that commit wrote (for at most 4,096 accounts at a time, in a
 * fixed table by a hash of the account: as much heap as that many wallets). A read whose row
 * holds exactly that version and that text hands back the object, which the gate then uses as it
 * is instead of decoding the text again; any other row (a commit of another instance, a restore, a
 * change made by hand) is handed back as its text, as it would be without it. It saves no read and
 * no lock: every call still reads the row (after the wallet's lock, to decide), and the text read decides.
 *
 * <p><b>Thread safety.</b> Thread-safe, and its settings never change once built; share one per
 * DataSource. The store borrows a connection per call and always gives it back (with its
 * auto-commit mode as it was); pooling is the DataSource's business.
 */
public final class JdbcWalletStore implements WalletStore {
  /** The schema version this release reads and writes. */
  public static final int SCHEMA_VERSION = 3;
  /**
   * The class path folder of the migration scripts, {@value}: Flyway's location
   * ({@code classpath:db/creditgate-postgresql}), and the folder of the Liquibase changelog.
   */
  public static final String SCHEMA_LOCATION = "db/creditgate-postgresql";
  /** The class path resource of the latest migration script, which brings the schema to version 3. */
  public static final String SCHEMA_RESOURCE = SCHEMA_LOCATION + "/V3__creditgate_no_checks.sql";
  /**
   * The class path resources of every migration script, in order: element {@code i} brings the
   * schema from version {@code i} to {@code i + 1}. Each is idempotent, and none is ever changed
   * once released (Flyway checks them by checksum).
   */
  public static final List<String> SCHEMA_RESOURCES = List.of(SCHEMA_LOCATION + "/V1__creditgate.sql",
      SCHEMA_LOCATION + "/V2__creditgate_outbox.sql", SCHEMA_RESOURCE);
  /** The class path resource of the Liquibase changelog: one change set per schema version. */
  public static final String LIQUIBASE_CHANGELOG = SCHEMA_LOCATION + "/creditgate.changelog.xml";
  /** How many ledger rows {@link #readLedger} fetches per round trip: {@value}. */
  public static final int DEFAULT_LEDGER_FETCH_SIZE = 500;
  /** How long a delivered event is kept in the outbox unless the builder says otherwise: 7 days. */
  public static final Duration DEFAULT_DELIVERED_EVENT_RETENTION = Duration.ofDays(7);
  /** The longest retention of delivered events a builder takes: {@value} days. */
  public static final long MAX_DELIVERED_EVENT_RETENTION_DAYS = 36_500;
  /** The most delivered events one statement of a relay run removes: {@value}. */
  static final int PRUNE_BATCH = 1_000;
  /** The most such statements a relay run sends: {@value}. */
  static final int PRUNE_BATCHES = 50;

  /** The most calls one group commit gathers: {@value}. */
  public static final int GROUP_COMMIT_MAX_CALLS = 64;
  /** The longest window a group commit may wait for more calls: 100 ms. */
  public static final Duration MAX_GROUP_COMMIT_WINDOW = Duration.ofMillis(100);

  /** How the store keeps concurrent mutations of one wallet apart. */
  public enum Locking {
    /**
     * An attempt takes the wallet's lock for the decision: attempts on one wallet queue on it,
     * and each decides once and never loses a race. The lock is a transaction-scoped advisory lock
     * ({@code pg_advisory_xact_lock}) keyed by a 64-bit hash of the wallet table's name and the
     * account, taken in a statement of its own before the wallet is read: unlike a row lock
     * ({@code SELECT ... FOR UPDATE}, which 0.1 took) it writes nothing to the
     * wallet's page or the WAL (measured: the locking read's server time 60 -> 20 µs at 16
     * threads). The default: on one wallet contended by many threads it never retries.
     */
    WALLET_LOCK,
    /**
     * An attempt reads without locks, lets the mutation decide, and writes conditionally on the
     * version read; when another commit came first it writes nothing, and the gate decides again.
     */
    OPTIMISTIC
  }

  private final Locking locking;
  private final RetryPolicy retryPolicy;
  private final Transactions transactions;
  private final SchemaInstaller schema;
  private final Reads reads;
  private final CommitWriter writer;
  private final Outbox outbox;
  private final Optional<WalletTransaction> transaction;
  private final Optional<Duration> groupCommit;

  private JdbcWalletStore(Builder b) {
    this.locking = b.locking;
    this.retryPolicy = b.retryPolicy;
    Statements sql = new Statements(b.schema);
    this.transactions = new Transactions(b.dataSource);
    this.schema = new SchemaInstaller(b.schema, sql, transactions);
    WalletCache cache = new WalletCache();
    this.reads = new Reads(sql, transactions, schema, b.fetchSize, cache);
    this.writer = new CommitWriter(sql, cache);
    this.outbox = new Outbox(sql, transactions, schema, b.eventRetention, PRUNE_BATCH, PRUNE_BATCHES);
    JdbcWalletTransaction alone = new JdbcWalletTransaction(locking, sql, transactions, schema, reads, writer);
    this.groupCommit = b.groupCommitWindow == null ? Optional.empty()
        : Optional.of(b.groupCommitWindow);
    this.transaction = Optional.of(b.groupCommitWindow == null ? alone
        : new GroupCommit(sql, transactions, schema, reads, cache, alone, b.groupCommitWindow.toNanos(),
            b.groupCommitMaxCalls,
            b.loneCallsAlone));
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
   * @return the mode the builder set, {@link Locking#WALLET_LOCK} by default
   */
  public Locking locking() {
    return locking;
  }

  /**
   * The window of group commit, if it is on (see {@link Builder#groupCommit(Duration)}).
   *
   * @return how long a batch waits for more calls; empty when every call commits alone (the default)
   */
  public Optional<Duration> groupCommit() {
    return groupCommit;
  }

  // ------------------------------------------------------------------------------------ schema

  /**
   * Creates the tables if they do not exist, or brings them to {@link #SCHEMA_VERSION}: runs each
   * script of {@link #SCHEMA_RESOURCES} from the first one the database lacks, in one transaction
   * under an advisory lock (in the builder's schema, created if needed, or else in the first schema
   * of the connection's search path). A database of version 1 or 2 is migrated in place: its
   * wallets, ledgers and records stay as they are. Idempotent, and safe to call from several
   * instances at once. A migration waits at most 5 s for each table's lock (held by a transaction
   * still using the table, such as a long ledger read), so that the calls queued behind it are not
   * held up longer; then it changes nothing and throws.
   *
   * @throws dev.creditgate.spi.SchemaMismatchException if the tables are of a newer version
   * @throws dev.creditgate.spi.StoreException if a table's lock was not had within 5 s (safe to
   *     retry: nothing was changed)
   */
  public void createSchema() {
    schema.createSchema();
  }

  /**
   * Checks now that the database is reachable and holds the tables at {@link #SCHEMA_VERSION}; the
   * store otherwise checks on first use. Call it at start-up to fail fast.
   *
   * @throws dev.creditgate.spi.SchemaMissingException if the tables do not exist
   * @throws dev.creditgate.spi.SchemaMismatchException if they are of another version; for tables
   *     of version 1 or 2, its message says to apply the migrations up to {@link #SCHEMA_RESOURCE} (with
   *     {@link #createSchema()}, Flyway or Liquibase)
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
   * entries stream in bounded memory from one consistent snapshot. A failure while the cursor opens
   * is thrown from this call; once entries flow it ends the stream with a {@link StoreException}, so
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
   * server together. A serialization failure or deadlock wrote nothing and returns {@code false};
   * a connection that broke while that round trip was under way throws
   * {@link dev.creditgate.spi.CommitOutcomeUnknownException}.
   */
  @Override
  public boolean commit(Commit commit) {
    Failures.requireNonNull(commit, "commit");
    schema.ensureSchema();
    return transactions.inOneTransaction("committing to wallet '" + commit.account() + "'", commit.account(),
        tx -> writer.writeAndCommit(tx, commit), false);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Both modes answer one: with {@link Locking#WALLET_LOCK}, an attempt takes the wallet's lock and
   * reads the wallet and the record of {@code key} as of after the lock was granted (so it sees every commit that
   * came before), lets the mutation decide and writes its commit; it never loses a race to another
   * attempt under the lock (a writer that takes none, such as an {@link Locking#OPTIMISTIC} store
   * on the same tables or a hand-written {@code UPDATE}, can make it lose one; under group commit,
   * an attempt whose batch the database refused may report one: it then goes alone).
   * With {@link Locking#OPTIMISTIC}, it reads the wallet and the record in one statement without locking,
   * lets the mutation decide and writes conditionally on the version read; a lost race writes
   * nothing and the attempt reports it, for the gate to decide again. Either way on one
   * connection, in one transaction, run once: the mutation decides at most once, and the store
   * never runs the attempt again. A serialization failure or deadlock rolls back and is reported
   * as a lost race; a connection that broke while the write and its {@code COMMIT} were under way
   * throws {@link dev.creditgate.spi.CommitOutcomeUnknownException}; any other failure rolls back
   * and is thrown, and the gate tries a retry-safe one again within {@link #retryPolicy()}.
   */
  @Override
  public Optional<WalletTransaction> transaction() {
    return transaction;
  }

  // ------------------------------------------------------------------------------------ outbox

  /**
   * {@inheritDoc}
   *
   * <p>One transaction under the account's advisory lock, taken without waiting; see the
   * {@linkplain JdbcWalletStore outbox} above. Events are read and handed over at most 100 at a
   * time.
   */
  @Override
  public int deliverEvents(AccountId account, EventDelivery delivery, int limit) {
    return outbox.deliver(account, delivery, limit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Removes delivered events past {@link Builder#deliveredEventRetention(Duration)} first (at
   * most 50,000 a run), then delivers each account with undelivered events in a transaction of its
   * own, ordered by the time its first waiting event was recorded. An account is visited at most
   * once a run; one another instance is delivering is skipped.
   */
  @Override
  public int deliverEvents(EventDelivery delivery, int limit) {
    return outbox.deliverAll(delivery, limit);
  }

  /**
   * The retry budget the gate gives each call on this store.
   *
   * @return the builder's {@link Builder#retryPolicy(RetryPolicy)}, {@link RetryPolicy#DEFAULT}
   *     unless set
   */
  @Override
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * Configures a {@link JdbcWalletStore}. Defaults: tables in the connection's search path,
   * {@link Locking#WALLET_LOCK}, {@link RetryPolicy#DEFAULT}, delivered events kept 7 days, 500 ledger
   * rows per round trip.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String schema;
    private Locking locking = Locking.WALLET_LOCK;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private Duration eventRetention = DEFAULT_DELIVERED_EVENT_RETENTION;
    private int fetchSize = DEFAULT_LEDGER_FETCH_SIZE;
    private Duration groupCommitWindow;
    private int groupCommitMaxCalls;
    private boolean loneCallsAlone;

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
     * How concurrent mutations of one wallet are kept apart; {@link Locking#WALLET_LOCK} by default.
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
     * The one retry budget of each gate call on this store: how many attempts and for how long the
     * gate tries a call again after lost races and transient failures (a broken connection, a pool
     * that timed out, a database restarting), counted together. The store itself tries every read
     * and every write once. Keep the pool's connection timeout below the policy's deadline.
     *
     * @param policy the budget; {@link RetryPolicy#DEFAULT} (64 attempts within 2 s) by default
     * @return this builder
     * @throws InvalidRequestException if {@code policy} is null
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Failures.requireNonNull(policy, "retryPolicy");
      return this;
    }

    /**
     * How long a delivered event stays in the outbox, by the database's clock from its delivery,
     * before a relay run ({@link JdbcWalletStore#deliverEvents(EventDelivery, int)}) removes it.
     * Undelivered events are always kept.
     *
     * @param retention zero or more, at most {@value #MAX_DELIVERED_EVENT_RETENTION_DAYS} days;
     *     zero removes delivered events at the next run; 7 days by default
     * @return this builder
     * @throws InvalidRequestException naming the value if {@code retention} is null, negative or
     *     longer than the maximum
     */
    public Builder deliveredEventRetention(Duration retention) {
      Failures.requireNonNull(retention, "deliveredEventRetention");
      if (retention.isNegative()
          || retention.compareTo(Duration.ofDays(MAX_DELIVERED_EVENT_RETENTION_DAYS)) > 0) {
        throw new InvalidRequestException("deliveredEventRetention", String.valueOf(retention),
            "the retention of delivered events must be zero or more and at most "
                + MAX_DELIVERED_EVENT_RETENTION_DAYS + " days but was " + retention);
      }
      this.eventRetention = retention;
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
     * Turns group commit on: the calls that this instance's threads make at the same time are
     * gathered, up to {@value JdbcWalletStore#GROUP_COMMIT_MAX_CALLS} at once, into one database
     * transaction, with one write statement and one commit, instead of one commit per call. Each
     * call is still decided on its own wallet's fresh state (under the wallet's lock, after the
     * batch's earlier calls on that wallet), answered with its own decision, idempotent by its own
     * key, and fails alone when its own input is bad; every guarantee of the store holds as
     * without it. What it buys is fewer commits: at a server's durable settings each commit waits
     * for its WAL flush, and a batch waits for one. What it costs: a call waits for the batch
     * before it (and for the window, if one is set), and a batch's transaction holds every wallet's
     * lock it took until its commit, so two calls on one wallet in one batch are one after the other in
     * one transaction, not two. A batch names several accounts, so it is not routed to one shard
     * on a distributed PostgreSQL such as Citus (see the README's "Beyond one PostgreSQL"). Calls
     * are gathered per store instance, never across service instances.
     *
     * <p>A batch is gathered once the batch before it is decided: the calls that came meanwhile are
     * the next batch (it locks and decides while up to three batches before it commit, and a call
     * on a wallet one of them holds waits for it), so under load batches form without any wait,
     * and a lone call waits for nothing.
     * {@code window} adds a wait, after the first call of a batch, for more to come (never once the
     * batch is full): it trades latency for fewer commits when calls arrive spread out.
     *
     * @param window how long a batch waits for more calls after its first, zero or more, at most
     *     {@link JdbcWalletStore#MAX_GROUP_COMMIT_WINDOW}; {@link Duration#ZERO} waits for nothing
     *     beyond the batch being written
     * @return this builder
     * @throws InvalidRequestException naming the value if {@code window} is null, negative or
     *     longer than the maximum
     */
    public Builder groupCommit(Duration window) {
      Failures.requireNonNull(window, "groupCommit");
      if (window.isNegative() || window.compareTo(MAX_GROUP_COMMIT_WINDOW) > 0) {
        throw new InvalidRequestException("groupCommit", String.valueOf(window),
            "the group commit window must be zero or more and at most " + MAX_GROUP_COMMIT_WINDOW + " but was "
                + window);
      }
      return groupCommit(window, GROUP_COMMIT_MAX_CALLS, true);
    }

    /**
     * Group commit with any window, in batches of at most {@code maxCalls}, and a batch of one call
     * written as one (the single call's transaction) or, for tests of the batch's own statements,
     * as a batch.
     */
    Builder groupCommit(Duration window, int maxCalls, boolean loneCallsAlone) {
      Failures.requirePositive(maxCalls, "maxCalls");
      this.groupCommitWindow = window;
      this.groupCommitMaxCalls = maxCalls;
      this.loneCallsAlone = loneCallsAlone;
      return this;
    }

    /**
     * The store; does not connect to the database.
     *
     * @return a new store on the builder's DataSource with its current settings
     */
    public JdbcWalletStore build() {
      if (groupCommitWindow != null && locking == Locking.OPTIMISTIC) {
        throw new InvalidRequestException("groupCommit", String.valueOf(groupCommitWindow),
            "group commit takes the locks of the wallets it decides on; it cannot be combined with Locking.OPTIMISTIC");
      }
      return new JdbcWalletStore(this);
    }
  }
}
