package dev.creditgate.spi;

/**
 * The store's database could not be reached, or the connection broke, and stayed so through the
 * store's bounded retries. Nothing was written (or, if the database committed just before the
 * connection broke, the call was complete): retry the same call with the same idempotency key
 * once the database is back, and it is applied exactly once.
 */
public final class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * The database stayed unreachable.
   *
   * @param message what failed and what to check (the database, the DataSource settings)
   * @param cause the last failure to connect or the broken connection's
   */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
