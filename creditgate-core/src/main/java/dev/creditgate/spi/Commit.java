package dev.creditgate.spi;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Wallet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One change to commit atomically: the new wallet, its ledger entries, and the idempotency records
 * of the call that made it (usually one; none when a wallet is opened). Immutable.
 *
 * @param expectedVersion the version the change was computed from; 0 creates the wallet
 * @param records new idempotency records, keys distinct and not yet stored for this account
 */
public record Commit(AccountId account, long expectedVersion, Wallet wallet, List<LedgerEntry> entries,
    List<IdempotencyRecord> records) {
  public Commit {
    if (account == null || wallet == null || !account.equals(wallet.account())) {
      throw new IllegalArgumentException("commit for " + account + " must carry that account's wallet");
    }
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version must not be negative but was " + expectedVersion);
    }
    entries = List.copyOf(entries);
    records = List.copyOf(records);
    // Nearly every commit has one record: no set to build for it.
    if (records.size() > 1) {
      Set<IdempotencyKey> keys = new HashSet<>();
      for (IdempotencyRecord record : records) {
        if (!keys.add(record.key())) {
          throw new IllegalArgumentException("key '" + record.key() + "' appears twice in one commit");
        }
      }
    }
  }
}
