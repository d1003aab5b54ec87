package dev.creditgate.spi;

import dev.creditgate.CreditGateException;

/**
 * The wallet store failed, or the call ran out of its retry budget. Nothing was partially
 * written: a store commits a change's state, ledger entries, events and idempotency record
 * together or not at all. A plain {@code StoreException} and every subtype but one mean that
 * nothing was written; {@link CommitOutcomeUnknownException} means the change may have been
 * written whole. Either way {@link #isRetrySafe()} says whether the same call may be repeated with
 * the same idempotency key.
 *
 * <p>Subtypes say what to do: {@link StoreUnavailableException} (the database cannot be reached:
 * retry later), {@link CommitOutcomeUnknownException} (the call may have been applied: repeat it
 * with the same key to learn its answer), {@link SchemaMissingException} (create the tables),
 * {@link SchemaMismatchException} (migrate the tables to the version this release expects),
 * {@link UnreadableWalletException} (a stored wallet this release cannot read),
 * {@link StoreFaultException} (a database error retrying cannot fix).
 */
public sealed class StoreException extends CreditGateException
    permits StoreUnavailableException, CommitOutcomeUnknownException, StoreFaultException, SchemaMissingException,
        SchemaMismatchException,
        UnreadableWalletException {
  private static final long serialVersionUID = 1L;

  /**
   * A store failure without an underlying exception.
   *
   * @param message what failed, and that nothing was written
   */
  public StoreException(String message) {
    super(message);
  }

  /**
   * A store failure caused by {@code cause}.
   *
   * @param message what failed, and whether anything was written
   * @param cause the underlying failure, such as the driver's {@code SQLException}
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@code true} unless a subtype says otherwise: the same call with the same key may be repeated
   * (nothing was written, or what was written is answered from the key's record).
   */
  @Override
  public boolean isRetrySafe() {
    return true;
  }
}
