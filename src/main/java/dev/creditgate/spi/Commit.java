package dev.creditgate.spi;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Wallet;
import java.util.List;
import java.util.Optional;

/**
 * One change to commit atomically: the new wallet, its ledger entries, and the idempotency record
 * of the call that made it. Immutable.
 *
 * @param expectedVersion the version the change was computed from; 0 creates the wallet
 */
public record Commit(AccountId account, long expectedVersion, Wallet wallet, List<LedgerEntry> entries,
    Optional<IdempotencyRecord> record) {
  public Commit {
    if (account == null || wallet == null || !account.equals(wallet.account())) {
      throw new IllegalArgumentException("commit for " + account + " must carry that account's wallet");
    }
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version must not be negative but was " + expectedVersion);
    }
    entries = List.copyOf(entries);
    if (record == null) {
      throw new IllegalArgumentException("record must not be null (use Optional.empty())");
    }
  }
}
