package dev.creditgate.model;

/**
 * The wallet store failed or stayed contended beyond the retry budget. Nothing was partially
 * written: a store commits a mutation's state, ledger entries and idempotency record together or
 * not at all, so the same call may be retried with the same idempotency key.
 */
public final class StoreException extends CreditGateException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
