package dev.creditgate.postgresql;

import static dev.creditgate.postgresql.Storable.unstorable;

import dev.creditgate.InvalidRequestException;
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
import java.util.function.Consumer;

/** The store's lock-free reads: wallets, idempotency records, the streamed ledger, expired holds. */
final class Reads {
  private final Statements sql;
  private final Transactions transactions;
  private final SchemaInstaller schema;
  private final int fetchSize;

  Reads(Statements sql, Transactions transactions, SchemaInstaller schema, int fetchSize) {
    this.sql = sql;
    this.transactions = transactions;
    this.schema = schema;
    this.fetchSize = fetchSize;
  }

  /** See {@link JdbcWalletStore#load}. */
  Optional<StoredWallet> load(AccountId account) {
    Failures.requireNonNull(account, "account");
    if (unstorable(account.value())) {
      return Optional.empty();
    }
    schema.ensureSchema();
    return transactions.read("loading wallet '" + account + "'", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.loadWallet)) {
        ps.setString(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(storedWallet(rs.getLong(1), rs.getString(2))) : Optional.empty();
        }
      }
    });
  }

  /** See {@link JdbcWalletStore#findRecord}. */
  Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(key, "key");
    schema.ensureSchema();
    return transactions.read("reading key '" + key + "' of '" + account + "'", c -> findRecord(c, account, key));
  }

  /** The record of {@code key} on {@code account}, read on {@code c} (in its transaction, if any). */
  Optional<IdempotencyRecord> findRecord(Connection c, AccountId account, IdempotencyKey key)
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
  void readLedger(AccountId account, Instant from, Instant to, Consumer<? super LedgerEntry> consumer) {
    Failures.requireNonNull(account, "account");
    Failures.requireNonNull(from, "from");
    Failures.requireNonNull(to, "to");
    Failures.requireNonNull(consumer, "consumer");
    if (!from.isBefore(to) || unstorable(account.value())) {
      return;
    }
    schema.ensureSchema();
    boolean[] delivered = {false};
    String what = "reading the ledger of '" + account + "'";
    for (int attempt = 1; ; attempt++) {
      try {
        streamLedger(account, from, to, consumer, delivered);
        return;
      } catch (SQLException e) {
        if (delivered[0] || !transactions.retryable(what, e, attempt)) {
          throw Failures.giveUp(what, e, attempt, JdbcWalletStore.SCHEMA_RESOURCE);
        }
      }
    }
  }

  private void streamLedger(AccountId account, Instant from, Instant to, Consumer<? super LedgerEntry> consumer,
      boolean[] delivered) throws SQLException {
    try (Connection c = transactions.connection()) {
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
        Transactions.endQuietly(c, autoCommit);
      }
    }
  }

  /** See {@link JdbcWalletStore#accountsWithHoldsExpiredBy}. */
  List<AccountId> accountsWithHoldsExpiredBy(Instant at, int limit) {
    Failures.requireNonNull(at, "at");
    InvalidRequestException.requirePositive(limit, "limit");
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
