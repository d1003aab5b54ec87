package dev.creditgate.spi;

/**
 * The store's tables exist but at another schema version than this release of creditgate
 * expects. Apply the migrations the message names (or run a matching release). Nothing was
 * written.
 */
public final class SchemaMismatchException extends StoreException {
  private static final long serialVersionUID = 1L;
  /** {@link #foundVersion()} when the columns, not the version row, do not match. */
  public static final int UNKNOWN_VERSION = -1;
  /** The schema version this release reads and writes. */
  private final int expectedVersion;
  /** The schema version found in the database. */
  private final int foundVersion;

  /**
   * A mismatch between the schema a store expects and the one it found.
   *
   * @param message what was found and what to do: which migrations to apply, or that a newer
   *     release wrote the tables
   * @param expectedVersion the schema version this release reads and writes
   * @param foundVersion the schema version found in the database
   */
  public SchemaMismatchException(String message, int expectedVersion, int foundVersion) {
    super(message);
    this.expectedVersion = expectedVersion;
    this.foundVersion = foundVersion;
  }

  /**
   * A mismatch found in the tables themselves: their version row may agree, but a column this
   * release reads or writes is missing or of another type (tables changed by hand, or half
   * migrated).
   *
   * @param message what was found and what to do
   * @param expectedVersion the schema version this release reads and writes
   * @param cause the database's error, such as an undefined column
   */
  public SchemaMismatchException(String message, int expectedVersion, Throwable cause) {
    super(message, cause);
    this.expectedVersion = expectedVersion;
    this.foundVersion = UNKNOWN_VERSION;
  }

  /**
   * The schema version this release reads and writes.
   *
   * @return the version the store expects (for the PostgreSQL store, its
   *     {@code JdbcWalletStore.SCHEMA_VERSION})
   */
  public int expectedVersion() {
    return expectedVersion;
  }

  /**
   * The schema version found in the database.
   *
   * @return the version the tables are at: lower than {@link #expectedVersion()} if they need
   *     migrating, higher if a newer release wrote them; {@link #UNKNOWN_VERSION} when the columns
   *     do not match the version the tables claim
   */
  public int foundVersion() {
    return foundVersion;
  }

  /** {@code false}: the same call fails until an operator has migrated the tables. */
  @Override
  public boolean isRetrySafe() {
    return false;
  }
}
