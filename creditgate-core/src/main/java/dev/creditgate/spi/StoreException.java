package dev.creditgate.spi;

import dev.creditgate.CreditGateException;

/**
 * The wallet store failed or stayed contended beyond the retry budget. Nothing was partially
 * written: a store commits a mutation's state, ledger entries and idempotency record together or
 * not at all, so the same call may be retried with the same idempotency key.
 *
 * <p>Subtypes say what to do: {@link StoreUnavailableException} (the database cannot be reached:
 * retry later), {@link SchemaMissingException} (create the tables),
 * {@link SchemaMismatchException} (migrate the tables to the version this release expects),
 * {@link UnreadableWalletException} (a stored wallet this release cannot read).
 */
public sealed class StoreException extends CreditGateException
    permits StoreUnavailableException, SchemaMissingException, SchemaMismatchException,
        UnreadableWalletException {
  private static final long serialVersionUID = 1L;

  /**
   * A store failure without an underlying exception.
   *
   * @param message what failed and whether anything was written (nothing, by the contract)
   */
  public StoreException(String message) {
    super(message);
  }

  /**
   * A store failure caused by {@code cause}.
   *
   * @param message what failed and whether anything was written (nothing, by the contract)
   * @param cause the underlying failure, such as the driver's {@code SQLException}
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code true}: nothing was written, so the same call with the same key may be retried. */
  @Override
  public boolean isRetrySafe() {
    return true;
  }
}
