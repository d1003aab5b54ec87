package dev.creditgate.spi;

import dev.creditgate.CreditGateException;

/**
 * The wallet store failed or stayed contended beyond the retry budget. Nothing was partially
 * written: a store commits a mutation's state, ledger entries and idempotency record together or
 * not at all, so the same call may be retried with the same idempotency key.
 *
 * <p>Subtypes say what to do: {@link StoreUnavailableException} (the database cannot be reached:
 * retry later), {@link SchemaMissingException} (create the tables),
 * {@link SchemaMismatchException} (migrate the tables to the version this release expects).
 */
public sealed class StoreException extends CreditGateException
    permits StoreUnavailableException, SchemaMissingException, SchemaMismatchException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code true}: nothing was written, so the same call with the same key may be retried. */
  @Override
  public boolean isRetrySafe() {
    return true;
  }
}
