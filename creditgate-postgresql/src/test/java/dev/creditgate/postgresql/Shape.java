package dev.creditgate.postgresql;

import java.time.Duration;

/**
 * The store's write shapes the tests run on: its two lock modes, one call per transaction, and
 * group commit (which takes the wallets' locks, gathering concurrent calls into one transaction).
 */
public enum Shape {
  WALLET_LOCK,
  OPTIMISTIC,
  GROUP_COMMIT;

  /** {@code builder} set to this shape. */
  public JdbcWalletStore.Builder configure(JdbcWalletStore.Builder builder) {
    return switch (this) {
      case WALLET_LOCK -> builder.locking(JdbcWalletStore.Locking.WALLET_LOCK);
      case OPTIMISTIC -> builder.locking(JdbcWalletStore.Locking.OPTIMISTIC);
      // Every call through the batch's own statements, a lone one too (the store writes a batch of
      // one as the single call's transaction, which the wallet-lock shape tests).
      case GROUP_COMMIT -> builder.groupCommit(Duration.ZERO, JdbcWalletStore.GROUP_COMMIT_MAX_CALLS, false);
    };
  }
}
