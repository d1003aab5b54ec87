package dev.creditgate.spi;

import dev.creditgate.model.AccountId;
import org.jspecify.annotations.Nullable;

/**
 * The call may have been applied: its commit was sent, the reply was lost (the connection broke
 * during the {@code COMMIT}, the server went away), and reading the outcome back failed too
 * within the retry budget. Unlike every other {@link StoreException} this does not say that
 * nothing was written: the change is either wholly stored, with its ledger entries, its events and
 * its key's record, or not at all, and it is not known which.
 *
 * <p>Repeating the very same call with the same idempotency key is safe and resolves it: if the
 * first one landed, the repeat returns its recorded answer and changes nothing; if not, the repeat
 * is applied once. A call made without a key of its own (opening a wallet, the hold sweep) is
 * safe to repeat as well: it decides afresh from the stored state. The events of a change that
 * landed are in the outbox and are delivered by the next relay run.
 */
public final class CommitOutcomeUnknownException extends StoreException {
  private static final long serialVersionUID = 1L;
  /** The account whose change may have been applied. */
  private final AccountId account;

  /**
   * A commit on {@code account}'s wallet whose outcome is not known.
   *
   * @param account the wallet's account
   * @param message what failed, that the call may have been applied, and that repeating it with
   *     the same key is safe
   * @param cause the failure that lost the reply, if there is one
   */
  // JSpecify is compile-only (requires static): a client needs no @Nullable to compile or run.
  @SuppressWarnings("exports")
  public CommitOutcomeUnknownException(AccountId account, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.account = account;
  }

  /**
   * The account whose change may have been applied.
   *
   * @return the wallet's account
   */
  public AccountId account() {
    return account;
  }

  /** {@code true}: repeating the call with the same key applies it at most once, and answers it. */
  @Override
  public boolean isRetrySafe() {
    return true;
  }
}
