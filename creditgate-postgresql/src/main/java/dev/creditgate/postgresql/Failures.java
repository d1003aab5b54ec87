package dev.creditgate.postgresql;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.spi.SchemaMismatchException;
import dev.creditgate.spi.SchemaMissingException;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Sorts SQL failures into what the store does about them, and makes every exception it throws. */
final class Failures {
  private Failures() {}

  /** What a failed statement means for the store. */
  enum Kind {
    /** A serialization failure or deadlock: the transaction was rolled back; running it again works. */
    CONFLICT(true),
    /** The connection could not be opened, or broke: a new connection may work. */
    CONNECTION(true),
    /** The database refused us for good (credentials, no such database). */
    REFUSED(false),
    /** A table of the schema is missing. */
    SCHEMA_MISSING(false),
    /** A column is missing or has another type: the tables are of another schema version. */
    SCHEMA_MISMATCH(false),
    OTHER(false);

    final boolean transientFault;

    Kind(boolean transientFault) {
      this.transientFault = transientFault;
    }
  }

  static Kind classify(SQLException e) {
    String state = sqlState(e);
    if (state != null) {
      if (state.equals("40001") || state.equals("40P01")) {
        return Kind.CONFLICT;
      }
      // 57P01..03: server shutting down or starting; 53300: too many connections.
      if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
          || state.equals("53300")) {
        return Kind.CONNECTION;
      }
      if (state.startsWith("28") || state.equals("3D000")) {
        return Kind.REFUSED;
      }
      if (state.equals("42P01") || state.equals("3F000")) {
        return Kind.SCHEMA_MISSING;
      }
      if (state.equals("42703") || state.equals("42804")) {
        return Kind.SCHEMA_MISMATCH;
      }
    }
    // Pools and drivers that do not set an SQLState still use the standard subclasses.
    if (e instanceof SQLRecoverableException || e instanceof SQLTransientException) {
      return Kind.CONNECTION;
    }
    return Kind.OTHER;
  }

  /**
   * Whether {@code e} is a unique violation (23505) of the idempotency records' primary key: a
   * write that met a key stored already. Any other unique violation is a fault, not a lost race.
   * The constraint's name is in every server message, whatever its language, quoted.
   */
  static boolean isStoredKey(SQLException e) {
    if (!"23505".equals(sqlState(e))) {
      return false;
    }
    for (SQLException cur = e; cur != null; cur = cur.getNextException()) {
      String message = cur.getMessage();
      if (message != null && message.contains("\"creditgate_idempotency_pkey\"")) {
        return true;
      }
      if (cur.getNextException() == cur) {
        break;
      }
    }
    return false;
  }

  static String sqlState(SQLException e) {
    for (SQLException cur = e; cur != null; cur = cur.getNextException()) {
      if (cur.getSQLState() != null) {
        return cur.getSQLState();
      }
      if (cur.getNextException() == cur) {
        break;
      }
    }
    return null;
  }

  /** The exception for a failure the store gives up on; {@code attempts} is how often it tried. */
  static StoreException giveUp(String what, SQLException e, int attempts, String script) {
    String tried = attempts > 1 ? " (tried " + attempts + " times)" : "";
    String state = " [SQLState " + sqlState(e) + ": " + e.getMessage() + "]";
    switch (classify(e)) {
      case CONFLICT:
        return new StoreException(what + (attempts > 1 ? " kept failing on serialization failures or deadlocks"
            : " failed on a serialization failure or deadlock") + tried
            + "; nothing was written, retry the call with the same idempotency key" + state, e);
      case CONNECTION:
        return new StoreUnavailableException(what + " failed: the database could not be reached or the "
            + "connection broke" + tried + ". Check that PostgreSQL is up and the DataSource's URL; "
            + "nothing was partially written, retry the call with the same idempotency key" + state, e);
      case REFUSED:
        return new StoreUnavailableException(what + " failed: the database refused the connection. Check "
            + "the DataSource's user, password and database name" + state, e);
      case SCHEMA_MISSING:
        return schemaMissing(what, script, e);
      case SCHEMA_MISMATCH:
        return new SchemaMismatchException(what + " failed: the creditgate tables do not have the columns this "
            + "release expects. Apply the migrations up to " + script + state, JdbcWalletStore.SCHEMA_VERSION, e);
      default:
        return new StoreException(what + " failed; nothing was written" + state, e);
    }
  }

  static SchemaMissingException schemaMissing(String where, String script, Throwable cause) {
    return new SchemaMissingException(where + ": the creditgate tables do not exist. Create them with "
        + "JdbcWalletStore.createSchema(), or apply the migration script " + script
        + " (classpath resource) with Flyway, Liquibase or psql", cause);
  }

  static SchemaMismatchException schemaMismatch(String where, int expected, int found, String script) {
    String advice = found < expected
        ? "apply the migrations up to " + script + " (or call JdbcWalletStore.createSchema())"
        : "upgrade creditgate to the release that wrote it: this one must not touch newer tables";
    return new SchemaMismatchException(where + ": the creditgate tables are at schema version " + found
        + " but this release expects version " + expected + "; " + advice, expected, found);
  }

  static StoreException interrupted(String what, InterruptedException e) {
    return new StoreException(what + " was interrupted while waiting to retry; nothing was written, "
        + "retry the call with the same idempotency key", e);
  }

  static <T> T requireNonNull(T value, String name) {
    if (value == null) {
      throw new InvalidRequestException(name, null, name + " must not be null");
    }
    return value;
  }

  static int requirePositive(int value, String name) {
    if (value <= 0) {
      throw new InvalidRequestException(name, Integer.toString(value), name + " must be positive but was " + value);
    }
    return value;
  }
}
