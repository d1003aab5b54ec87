package dev.creditgate.spi;

/**
 * The store's tables do not exist in the database it was given. Create them (the message names
 * the migration script and the call that applies it) before using the store. Nothing was written.
 */
public final class SchemaMissingException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * The store's tables are missing.
   *
   * @param message where the store looked, and the script and call that create the tables
   * @param cause the database's failure that showed it, such as an undefined table
   */
  public SchemaMissingException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code false}: the same call fails until an operator has created the tables. */
  @Override
  public boolean isRetrySafe() {
    return false;
  }
}
