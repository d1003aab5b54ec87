package dev.creditgate.spi;

/**
 * The store's database could not be reached, or the connection broke, and stayed so through the
 * store's bounded retries. Nothing was written (or, if the database committed just before the
 * connection broke, the call was complete): retry the same call with the same idempotency key
 * once the database is back, and it is applied exactly once.
 */
public final class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
