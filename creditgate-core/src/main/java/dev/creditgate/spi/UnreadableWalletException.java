package dev.creditgate.spi;

import dev.creditgate.model.AccountId;
import org.jspecify.annotations.Nullable;

/**
 * A store handed back a wallet this release cannot read: a format it does not know (written by a
 * newer creditgate?), a malformed text, or another account's wallet. Nothing was written. Retrying
 * cannot help; an operator must look at the stored wallet, or upgrade creditgate.
 */
public final class UnreadableWalletException extends StoreException {
  private static final long serialVersionUID = 1L;
  /** The account whose stored wallet cannot be read. */
  private final AccountId account;

  /**
   * The stored wallet of {@code account} cannot be read.
   *
   * @param account the account whose wallet the store handed back
   * @param message what is wrong with it
   * @param cause the decoding failure, if there is one
   */
  // JSpecify is compile-only (requires static): a client needs no @Nullable to compile or run.
  @SuppressWarnings("exports")
  public UnreadableWalletException(AccountId account, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.account = account;
  }

  /**
   * The account whose stored wallet cannot be read.
   *
   * @return the account the gate asked the store for
   */
  public AccountId account() {
    return account;
  }

  /** {@code false}: the same wallet would be read again; an operator must act. */
  @Override
  public boolean isRetrySafe() {
    return false;
  }
}
