package dev.creditgate.spi;

/**
 * The store failed in a way that retrying cannot fix: the database reported an internal error,
 * data it cannot store or read (a value out of range, a violated constraint), or a missing
 * privilege. Nothing was written. The gate does not retry it; an operator must look at the
 * database's error, which is this exception's cause.
 */
public final class StoreFaultException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure retrying cannot fix.
   *
   * @param message what failed, that nothing was written, and that retrying cannot fix it
   * @param cause the database's error, such as the driver's {@code SQLException}
   */
  public StoreFaultException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code false}: the same call would fail the same way; an operator must act. */
  @Override
  public boolean isRetrySafe() {
    return false;
  }
}
