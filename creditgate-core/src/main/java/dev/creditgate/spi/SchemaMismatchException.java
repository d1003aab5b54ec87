package dev.creditgate.spi;

/**
 * The store's tables exist but at another schema version than this release of creditgate
 * expects. Apply the migrations the message names (or run a matching release). Nothing was
 * written.
 */
public final class SchemaMismatchException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final int expectedVersion;
  private final int foundVersion;

  public SchemaMismatchException(String message, int expectedVersion, int foundVersion) {
    super(message);
    this.expectedVersion = expectedVersion;
    this.foundVersion = foundVersion;
  }

  /** The schema version this release reads and writes. */
  public int expectedVersion() {
    return expectedVersion;
  }

  /** The schema version found in the database. */
  public int foundVersion() {
    return foundVersion;
  }

  /** {@code false}: the same call fails until an operator has migrated the tables. */
  @Override
  public boolean isRetrySafe() {
    return false;
  }
}
