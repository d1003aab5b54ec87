package dev.creditgate.postgresql;

import static dev.creditgate.postgresql.Storable.unstorable;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The store's lock-free reads: wallets, idempotency records, the streamed ledger, expired holds. */
final class Reads {
  private final Statements sql;
  private final Transactions transactions;
  private final SchemaInstaller schema;
  private final int fetchSize;
  private final WalletCache cache;

  Reads(Statements sql, Transactions transactions, SchemaInstaller schema, int fetchSize, WalletCache cache) {
    this.sql = sql;
    this.transactions = transactions;
    this.schema = schema;
    this.fetchSize = fetchSize;
    this.cache = cache;
  }

  /**
   * The wallet of a row of {@code account} read as {@code version} and {@code state}: the object
   * this store committed as exactly that row, if it remembers it, else the text as it is.
   */
  StoredWallet storedWallet(AccountId account, long version, String state) throws SQLException {
    if (version < 1) {
      throw Failures.corruptRow("the row of wallet '" + account.value() + "' holds version " + version
          + ", below 1: the store never writes it");
    }
    return cache.stored(account.value(), version, state);
  }

  /** See {@link JdbcWalletStore#load}. */
  Optional<StoredWallet> load(AccountId account) {
    Failures.requireNonNull(account, "account");
    if (unstorable(account.value())) {
      return Optional.empty();
    }
    schema.ensureSchema();
    return transactions.read("loading wallet '" + account + "'", c -> loadWallet(c, account));
  }

  /** See {@link JdbcWalletStore#findRecord}. */
  Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(key, "key");
    schema.ensureSchema();
    return transactions.read("reading key '" + key + "' of '" + account + "'", c -> findRecord(c, account, key));
  }

  /** The record of {@code key} on {@code account}, read on {@code c} (in its transaction, if any). */
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

  /** See {@link JdbcWalletStore#readLedger}. */
  Stream<LedgerEntry> readLedger(AccountId account, Instant from, Instant to) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(from, "from");
    Failures.requireNonNull(to, "to");
    if (!from.isBefore(to) || unstorable(account.value())) {
      return Stream.empty();
    }
    schema.ensureSchema();
    String what = "reading the ledger of '" + account + "'";
    // Once, like every read (the gate tries a read again); once entries flow, a failure ends the stream.
    Connection c = null;
    try {
      c = transactions.connection();
      return cursor(c, account, from, to, what, true);
    } catch (SQLException e) {
      closeQuietly(c);
      throw Failures.giveUp(what, e, SchemaInstaller.MIGRATION_SCRIPTS);
    } catch (RuntimeException e) {
      // The stream never came to own the connection: give it back before the failure leaves.
      closeQuietly(c);
      throw e;
    }
  }

  /** See {@link JdbcWalletStore#snapshot}. */
  <R> Optional<R> snapshot(AccountId account, BiFunction<StoredWallet, Stream<LedgerEntry>, R> reader) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(reader, "reader");
    if (unstorable(account.value())) {
      return Optional.empty();
    }
    schema.ensureSchema();
    String what = "reading a snapshot of '" + account + "'";
    try (Connection c = transactions.connection()) {
      boolean autoCommit = c.getAutoCommit();
      int isolation = c.getTransactionIsolation();
      try {
        // One snapshot for both reads: REPEATABLE READ sees the database as of its first read.
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        Optional<StoredWallet> wallet = loadWallet(c, account);
        if (wallet.isEmpty()) {
          return Optional.empty();
        }
        try (Stream<LedgerEntry> ledger = cursor(c, account, Instant.MIN, Instant.MAX, what, false)) {
          return Optional.of(reader.apply(wallet.get(), ledger));
        }
      } finally {
        Transactions.endQuietly(c, autoCommit);
        c.setTransactionIsolation(isolation);
      }
    } catch (SQLException e) {
      throw Failures.giveUp(what, e, SchemaInstaller.MIGRATION_SCRIPTS);
    }
  }

  private Optional<StoredWallet> loadWallet(Connection c, AccountId account) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.loadWallet)) {
      ps.setString(1, account.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(storedWallet(account, rs.getLong(1), rs.getString(2))) : Optional.empty();
      }
    }
  }

  /**
   * The ledger rows of {@code account} in {@code [from, to)} as a lazy stream over a cursor on
   * {@code c}. If the stream {@code owns} the connection, closing it ends the read and gives
   * {@code c} back; otherwise closing it closes only the cursor.
   */
  private Stream<LedgerEntry> cursor(Connection c, AccountId account, Instant from, Instant to, String what,
      boolean owns) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    PreparedStatement ps = null;
    ResultSet rs;
    try {
      // PostgreSQL streams with a fetch size only inside a transaction; otherwise it reads all rows.
      c.setAutoCommit(false);
      ps = c.prepareStatement(sql.readLedger);
      ps.setFetchSize(fetchSize);
      ps.setString(1, account.value());
      // The column holds whole microseconds; the exact bounds are checked below.
      Instants.bindMicros(ps, 2, from);
      Instants.bindMicros(ps, 3, to);
      rs = ps.executeQuery();
    } catch (SQLException | RuntimeException e) {
      if (ps != null) {
        ps.close();
      }
      if (owns) {
        Transactions.endQuietly(c, autoCommit);
      }
      throw e;
    }
    PreparedStatement statement = ps;
    Spliterator<LedgerEntry> rows = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
        Spliterator.ORDERED | Spliterator.NONNULL) {
      @Override
      public boolean tryAdvance(Consumer<? super LedgerEntry> action) {
        try {
          while (rs.next()) {
            Instant at = Instants.read(rs, 1);
            if (!at.isBefore(from) && at.isBefore(to)) {
              action.accept(new LedgerEntry(account, at, LedgerEntry.Kind.valueOf(rs.getString(3)),
                  rs.getString(4), Credits.ofThousandths(rs.getLong(5)), rs.getString(6), rs.getString(7)));
              return true;
            }
          }
          return false;
        } catch (SQLException e) {
          throw Failures.giveUp(what, e, SchemaInstaller.MIGRATION_SCRIPTS);
        }
      }
    };
    return StreamSupport.stream(rows, false).onClose(() -> {
      try {
        rs.close();
        statement.close();
      } catch (SQLException e) {
        // The connection is given back below either way; a pool drops a broken one.
      } finally {
        if (owns) {
          Transactions.endQuietly(c, autoCommit);
          closeQuietly(c);
        }
      }
    });
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // Nothing was read on it that matters; a pool drops a broken connection.
      }
    }
  }

  /** See {@link JdbcWalletStore#accountsWithHoldsExpiredBy}. */
  List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit) {
    Failures.requireNonNull(at, "at");
    Failures.requirePositive(limit, "limit");
    schema.ensureSchema();
    return transactions.read("finding wallets with expired holds", c -> {
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

  /** The wallet of a row's {@code version} and {@code state} columns, kept as the opaque text it is. */
  static StoredWallet storedWallet(long version, String state) {
    return new StoredWallet(WalletState.ofEncoded(state), version);
  }
}
