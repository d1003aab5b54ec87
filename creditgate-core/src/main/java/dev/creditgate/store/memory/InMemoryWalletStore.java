package dev.creditgate.store.memory;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.UnknownAccountException;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.EventDelivery;
import dev.creditgate.spi.OutboxEvent;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.spi.WalletStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The default {@link WalletStore}: wallets, ledgers and idempotency records in this JVM's heap.
 * For tests, demos and single-process hosts; state does not survive a restart.
 *
 * <p><b>Thread safety and atomicity.</b> Thread-safe. Each account has its own lock, held only
 * for a swap: a commit checks under it that the wallet is still at the version it was decided on
 * and that no key of the commit is stored yet, then appends the ledger entries and the events,
 * stores the idempotency records and swaps the wallet: a reader that sees a wallet sees its
 * records, and one that finds a record waits on the lock until its wallet is published. A mutation
 * decides outside the lock, on the wallet and then the key's record as read without it, and loses
 * the race if another commit swapped first; its next attempt decides under the lock, so no caller
 * starves on a busy wallet (see {@link #transaction()}). Loads never lock, nor does looking up a
 * key that is not stored. Commits on different accounts never contend.
 *
 * <p><b>Outbox.</b> A commit's events join the account's undelivered events under its lock. A
 * delivery hands them over outside the lock (a slow sink never holds up the account's commits)
 * and marks them under it; while one delivery of an account runs, another returns 0 at once.
 * Delivered events are removed at once, or kept for {@link Builder#deliveredEventsFor(Duration)}.
 *
 * <p><b>Growth.</b> Each account's ledger and idempotency records grow with use; appends are O(1).
 * Bound what is retained with the builder: {@link Builder#ledgerEntriesPerAccount(int)} folds the
 * oldest entries into one {@code carried-forward} adjustment per grant (so the ledger still sums to
 * the balances and replays clean), and {@link Builder#idempotencyRecordsFor(Duration)} forgets keys
 * older than a duration (a call repeated after that is treated as new).
 *
 * <pre>{@code
 * WalletStore store = InMemoryWalletStore.builder()
 *     .ledgerEntriesPerAccount(10_000)
 *     .idempotencyRecordsFor(Duration.ofDays(7))
 *     .build();
 * }</pre>
 */
public final class InMemoryWalletStore implements WalletStore {

  /** The operation name of the adjustment entries that stand for pruned ledger entries. */
  public static final String CARRIED_FORWARD = "carried-forward";

  static final LedgerEntry[] NO_ENTRIES = new LedgerEntry[0];

  private final ConcurrentHashMap<AccountId, AccountState> accounts = new ConcurrentHashMap<>();
  /**
   * The accounts with an open hold, by the earliest expiry of their holds: the sweep reads the due
   * ones from the front instead of scanning every wallet. Changed under the account's monitor.
   */
  private final ConcurrentSkipListSet<HoldDue> holdsDue = new ConcurrentSkipListSet<>();
  /** The accounts whose outbox holds undelivered events, or delivered ones kept for a while. */
  private final Set<AccountId> outboxes = ConcurrentHashMap.newKeySet();
  private final int ledgerLimit;
  private final Duration keyRetention;
  private final Duration eventRetention;
  private final Clock clock;

  private InMemoryWalletStore(int ledgerLimit, Duration keyRetention, Duration eventRetention, Clock clock) {
    this.ledgerLimit = ledgerLimit;
    this.keyRetention = keyRetention;
    this.eventRetention = eventRetention;
    this.clock = clock;
  }

  /**
   * A store that retains everything.
   *
   * @return an empty store with no bound on ledger entries or idempotency records
   */
  public static InMemoryWalletStore create() {
    return builder().build();
  }

  /**
   * A builder, to bound what the store retains.
   *
   * @return a builder with the defaults: every entry and record kept, delivered events removed at
   *     once, the system clock
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<StoredWallet> load(AccountId account) {
    AccountState state = accounts.get(account);
    return state == null ? Optional.empty() : Optional.of(state.current);
  }

  /**
   * Looks the key up without the account's lock, and takes the lock only when it finds the record:
   * a commit stores its records before it publishes its wallet, both under the lock, so a record
   * is returned only once its wallet is published.
   */
  @Override
  public Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
    AccountState state = accounts.get(account);
    if (state == null || state.record(key) == null) {
      return Optional.empty();
    }
    synchronized (state) {
      return Optional.ofNullable(state.record(key));
    }
  }

  /**
   * Decides outside the account's lock and takes it only to swap: an attempt reads the wallet and
   * then the key's record without locking (a repeated call, whose record is there, is answered
   * under the lock), lets the gate decide, and commits under the lock if the
   * wallet is still at the version it decided on (a lost race otherwise, and the gate decides
   * again). The next attempt of a call that lost decides under the lock, where no commit can come
   * between its decision and its swap: a call loses at most one race, however busy its wallet.
   */
  @Override
  public Optional<WalletTransaction> transaction() {
    return transaction;
  }

  /**
   * The call whose swap this thread's latest attempt lost, by its account and key (the gate tries
   * a call again on the thread it runs on, with the same key), so that the call's next attempt
   * decides under the lock. A marker of another call is dropped unused: a call that gave up leaves
   * nothing that the next call on the thread, with another key, could take for its own. A store
   * wrapped so that attempts hop threads keeps every guarantee but this bound on lost races.
   */
  private final ThreadLocal<Lost> lostBy = new ThreadLocal<>();

  /** A lost swap: the account's state and the call's key. */
  private record Lost(AccountState state, IdempotencyKey key) {}

  private final Optional<WalletTransaction> transaction = Optional.of(new WalletTransaction() {
    @Override
    public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
      AccountState state = accounts.get(account);
      if (state == null) {
        throw new UnknownAccountException(account);
      }
      Lost lost = lostBy.get();
      if (lost != null) {
        lostBy.remove();
        if (lost.state() == state && lost.key().equals(key)) {
          return decideLocked(state, account, key, mutation);
        }
      }
      // The wallet first, then the key: a commit stores its records before it publishes its
      // wallet, so a decision that sees a commit's wallet sees its records too. A record found
      // may be of a wallet not yet published: a repeated call is answered under the lock.
      StoredWallet stored = state.current;
      if (state.record(key) != null) {
        return decideLocked(state, account, key, mutation);
      }
      Mutation.Outcome<R> outcome = mutation.decide(stored, Optional.empty());
      Commit commit = outcome.commit();
      if (commit == null) {
        return Optional.of(outcome.result());
      }
      requireSameAccount(account, commit);
      synchronized (state) {
        if (commitLocked(state, commit)) {
          return Optional.of(outcome.result());
        }
      }
      lostBy.set(new Lost(state, key));
      return Optional.empty();
    }
  });

  /** An attempt that decides and commits under the account's lock: it cannot lose a race. */
  private <R> Optional<R> decideLocked(AccountState state, AccountId account, IdempotencyKey key,
      Mutation<R> mutation) {
    synchronized (state) {
      Mutation.Outcome<R> outcome = mutation.decide(state.current, Optional.ofNullable(state.record(key)));
      Commit commit = outcome.commit();
      if (commit != null) {
        requireSameAccount(account, commit);
        if (!commitLocked(state, commit)) {
          throw new StoreException("a mutation decided under the lock of " + account
              + " committed against version " + commit.expectedVersion() + " or a stored key; nothing was written");
        }
      }
      return Optional.of(outcome.result());
    }
  }

  private static void requireSameAccount(AccountId account, Commit commit) {
    if (!commit.account().equals(account)) {
      throw new InvalidRequestException("commit", commit.account().value(), "a mutation of '" + account
          + "' tried to commit to '" + commit.account() + "'; nothing was written");
    }
  }

  @Override
  public boolean commit(Commit commit) {
    if (commit.expectedVersion() == 0) {
      // Filled before it is published: whoever finds the new wallet finds its ledger, records and events.
      AccountState created = new AccountState(new StoredWallet(commit.state(), 1));
      synchronized (created) {
        Instant now = created.storesRecordsAt(commit, keyRetention, clock);
        created.appendEntriesAndEvents(commit);
        created.storeRecords(commit, now, keyRetention);
        if (accounts.putIfAbsent(commit.account(), created) != null) {
          return false;
        }
        indexHolds(commit.account(), created, commit.nextHoldExpiry().orElse(null));
        if (!commit.events().isEmpty()) {
          outboxes.add(commit.account());
        }
      }
      return true;
    }
    AccountState state = accounts.get(commit.account());
    if (state == null) {
      return false;
    }
    synchronized (state) {
      return commitLocked(state, commit);
    }
  }

  /**
   * The swap: if the wallet is still at the commit's version and none of its keys is stored,
   * appends the commit's entries and events, stores its records, then publishes the new wallet.
   * What can fail (the store's clock) is read before anything changes. A lock-free reader reads
   * the wallet before the key, so one that sees the new wallet sees its records; one that finds a
   * record first takes the lock, which the commit holds until its wallet is published: no answer
   * is given from a record whose wallet is not yet published, and no decision is made on a wallet
   * whose records are missing. Called under the account's monitor.
   */
  private boolean commitLocked(AccountState state, Commit commit) {
    if (state.current.version() != commit.expectedVersion() || state.holdsAnyKeyOf(commit)) {
      return false;
    }
    Instant now = state.storesRecordsAt(commit, keyRetention, clock);
    StoredWallet next = new StoredWallet(commit.state(), commit.expectedVersion() + 1);
    indexHolds(commit.account(), state, commit.nextHoldExpiry().orElse(null));
    state.appendEntriesAndEvents(commit);
    if (!commit.events().isEmpty()) {
      outboxes.add(commit.account());
    }
    state.storeRecords(commit, now, keyRetention);
    state.current = next;
    state.foldLedger(ledgerLimit);
    return true;
  }

  /**
   * Hands the account's undelivered events over outside its lock (a slow sink never holds up its
   * commits), and marks them under it; a second delivery of the account meanwhile returns 0, and
   * the running one also hands over what was committed while it ran: it ends only when it finds
   * nothing left under the lock (or reached its limit, or the delivery refused an event).
   */
  @Override
  public int deliverEvents(AccountId account, EventDelivery delivery, int limit) {
    requirePositive(limit);
    AccountState state = accounts.get(account);
    if (state == null) {
      return 0;
    }
    synchronized (state) {
      if (state.delivering) {
        return 0;
      }
      state.delivering = true;
    }
    int delivered = 0;
    boolean done = false;
    try {
      while (true) {
        List<OutboxEvent> batch;
        synchronized (state) {
          batch = delivered < limit ? state.undelivered(limit - delivered) : List.of();
          if (batch.isEmpty()) {
            // Ends under the lock: an event committed meanwhile was read above, and one committed
            // from now on finds no delivery running, so its own call delivers it.
            endDelivery(account, state);
            done = true;
            return delivered;
          }
        }
        int taken = delivery.deliver(batch);
        if (taken < 0 || taken > batch.size()) {
          throw new InvalidRequestException("delivered", Integer.toString(taken), "a delivery of " + batch.size()
              + " events reported " + taken + " delivered");
        }
        synchronized (state) {
          state.markDelivered(taken, eventRetention, clock);
        }
        delivered += taken;
        if (taken < batch.size()) {
          return delivered;
        }
      }
    } finally {
      if (!done) {
        synchronized (state) {
          endDelivery(account, state);
        }
      }
    }
  }

  /** Ends the running delivery of {@code account}; called under its monitor. */
  private void endDelivery(AccountId account, AccountState state) {
    state.delivering = false;
    if (state.undelivered == null && state.delivered == null) {
      outboxes.remove(account);
    }
  }

  @Override
  public int deliverEvents(EventDelivery delivery, int limit) {
    requirePositive(limit);
    int delivered = 0;
    Instant now = clock.instant();
    for (AccountId account : List.copyOf(outboxes)) {
      if (delivered >= limit) {
        break;
      }
      AccountState state = accounts.get(account);
      synchronized (state) {
        state.pruneDelivered(eventRetention, now);
      }
      delivered += deliverEvents(account, delivery, limit - delivered);
    }
    return delivered;
  }

  private static void requirePositive(int limit) {
    if (limit <= 0) {
      throw new InvalidRequestException("limit", Integer.toString(limit), "limit must be positive but was " + limit);
    }
  }

  /** Moves the account's entry in the hold index to {@code next}; called under its monitor. */
  private void indexHolds(AccountId account, AccountState state, Instant next) {
    Instant before = state.nextHoldExpiry;
    if (before == null ? next == null : before.equals(next)) {
      return;
    }
    if (before != null) {
      holdsDue.remove(new HoldDue(before, account));
    }
    if (next != null) {
      holdsDue.add(new HoldDue(next, account));
    }
    state.nextHoldExpiry = next;
  }

  @Override
  public Stream<LedgerEntry> readLedger(AccountId account, Instant from, Instant to) {
    AccountState state = accounts.get(account);
    if (state == null) {
      return Stream.empty();
    }
    LedgerEntry[] copy;
    synchronized (state) {
      copy = state.ledgerCopy();
    }
    return inRange(copy, from, to);
  }

  /** The wallet and a copy of its ledger, taken together under the account's lock. */
  @Override
  public <R> Optional<R> snapshot(AccountId account, BiFunction<StoredWallet, Stream<LedgerEntry>, R> reader) {
    AccountState state = accounts.get(account);
    if (state == null) {
      return Optional.empty();
    }
    StoredWallet wallet;
    LedgerEntry[] copy;
    synchronized (state) {
      wallet = state.current;
      copy = state.ledgerCopy();
    }
    try (Stream<LedgerEntry> ledger = Arrays.stream(copy)) {
      return Optional.of(reader.apply(wallet, ledger));
    }
  }

  private static Stream<LedgerEntry> inRange(LedgerEntry[] entries, Instant from, Instant to) {
    return Arrays.stream(entries).filter(e -> !e.at().isBefore(from) && e.at().isBefore(to));
  }

  @Override
  public List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit) {
    // A set: the index's iterator is weakly consistent, so an account that moves while it is read
    // may be met twice.
    Set<AccountId> found = new LinkedHashSet<>();
    for (HoldDue due : holdsDue) {
      if (found.size() >= limit || due.at().isAfter(at)) {
        break;
      }
      found.add(due.account());
    }
    return List.copyOf(found);
  }


  /** An entry of the hold index: ordered by time, then by account (each account appears once). */
  private record HoldDue(Instant at, AccountId account) implements Comparable<HoldDue> {
    @Override
    public int compareTo(HoldDue other) {
      int byTime = at.compareTo(other.at);
      return byTime != 0 ? byTime : account.value().compareTo(other.account.value());
    }
  }


  /**
   * Configures an {@link InMemoryWalletStore}; by default it retains every ledger entry and
   * record, and removes an event once it is delivered.
   */
  public static final class Builder {
    /** The longest idempotency retention: 100 years; longer is forever, which is the default. */
    private static final Duration MAX_KEY_RETENTION = Duration.ofDays(36_525);

    private int ledgerLimit = Integer.MAX_VALUE;
    private Duration keyRetention;
    private Duration eventRetention = Duration.ZERO;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Keeps at most about {@code limit} ledger entries per account: when there are more, the
     * oldest half is folded into carried-forward adjustments (one per grant).
     *
     * @param limit the most entries an account keeps before a fold, 10 or more; a fold keeps the
     *     newest {@code limit / 2} and adds one entry per grant or open hold that the folded
     *     entries leave non-zero
     * @return this builder
     * @throws InvalidRequestException if {@code limit} is below 10
     */
    public Builder ledgerEntriesPerAccount(int limit) {
      if (limit < 10) {
        throw new InvalidRequestException("ledgerEntriesPerAccount", Integer.toString(limit),
            "ledger entries per account must be at least 10 but was " + limit);
      }
      this.ledgerLimit = limit;
      return this;
    }

    /**
     * Forgets idempotency keys stored longer ago than {@code retention}, measured by the store's
     * {@link #clock} from when the key's record was stored: never by the time the caller stamped
     * its call, so a queued job's call dated days back keeps its key for the whole retention.
     *
     * @param retention how long a key protects against a repeated call: positive and at most
     *     36,525 days (100 years), so that the store's clock minus it is always an instant; by
     *     default forever
     * @return this builder
     * @throws InvalidRequestException naming the value if {@code retention} is null, zero,
     *     negative or longer than 36,525 days
     */
    public Builder idempotencyRecordsFor(Duration retention) {
      requireNonNull(retention, "retention");
      if (retention.isNegative() || retention.isZero() || retention.compareTo(MAX_KEY_RETENTION) > 0) {
        throw new InvalidRequestException("retention", retention.toString(),
            "idempotency retention must be positive and at most " + MAX_KEY_RETENTION.toDays()
                + " days but was " + retention);
      }
      this.keyRetention = retention;
      return this;
    }

    /**
     * Keeps delivered events in the outbox for {@code retention} after their delivery, by the
     * store's {@link #clock}; by default a delivered event is removed at once. Undelivered events
     * are always kept.
     *
     * @param retention how long a delivered event is kept, zero or more
     * @return this builder
     * @throws InvalidRequestException if {@code retention} is null or negative
     */
    public Builder deliveredEventsFor(Duration retention) {
      requireNonNull(retention, "retention");
      if (retention.isNegative()) {
        throw new InvalidRequestException("retention", retention.toString(),
            "delivered event retention must not be negative but was " + retention);
      }
      this.eventRetention = retention;
      return this;
    }

    /**
     * The clock that measures the age of idempotency records (see
     * {@link #idempotencyRecordsFor(Duration)}). The system clock by default; tests pass one they
     * move by hand.
     *
     * @param clock the clock, read as a commit stores idempotency records when a retention is set
     * @return this builder
     * @throws InvalidRequestException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    private static <T> T requireNonNull(T value, String name) {
      if (value == null) {
        throw new InvalidRequestException(name, null, name + " must not be null");
      }
      return value;
    }

    /**
     * The store.
     *
     * @return a new, empty store; each call gives a store of its own
     */
    public InMemoryWalletStore build() {
      return new InMemoryWalletStore(ledgerLimit, keyRetention, eventRetention, clock);
    }
  }
}
