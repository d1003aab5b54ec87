package dev.creditgate.postgresql;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.spi.SchemaMismatchException;
import dev.creditgate.spi.SchemaMissingException;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoreFaultException;
import dev.creditgate.spi.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sorts SQL failures into what the store does about them, and makes every exception it throws.
 *
 * <p>The rule: a failure is <em>retry-safe</em> when it says nothing about the call itself, only
 * about the moment (a lost race, a broken or refused connection, a server that is starting,
 * stopping or out of resources, a timeout); the transaction was rolled back, so the same call with
 * the same key may succeed later. Any other failure says the call, the data or the code is wrong
 * (an internal error, corrupt data, a constraint or a permission): running it again fails again,
 * or worse, so it is not retry-safe. The SQLState is looked up on the exception, then along its
 * chain of next exceptions and causes; the first class listed that matches decides.
 *
 * <table>
 *   <caption>What each failure is, in the order the rules apply</caption>
 *   <tr><th>Failure</th><th>Kind</th><th>Thrown</th><th>Retry-safe (the gate tries
 *       again within its budget)</th></tr>
 *   <tr><td>{@code SQLTransientConnectionException} (a pool's "connection is not available,
 *       request timed out")</td><td>{@link Kind#POOL_TIMEOUT}</td>
 *       <td>{@code StoreUnavailableException}, "the connection pool timed out"</td><td>yes</td></tr>
 *   <tr><td>40001 serialization failure, 40P01 deadlock</td><td>{@link Kind#CONFLICT}</td>
 *       <td>none in an attempt (a lost race: the gate decides again); after the
 *       budget {@code StoreException}</td><td>yes</td></tr>
 *   <tr><td>class 08 (connection exception), 57P01 admin shutdown, 57P02 crash shutdown, 57P03
 *       cannot connect now, 57P05 idle session timeout, 25P03 idle-in-transaction timeout, 25P04
 *       transaction timeout, 53300 too many connections, 25006 read-only transaction (a standby
 *       after a fail-over); no SQLState but an {@code SQLRecoverableException} or
 *       {@code SQLTransientException}</td><td>{@link Kind#UNAVAILABLE}</td>
 *       <td>{@code StoreUnavailableException}</td><td>yes</td></tr>
 *   <tr><td>class 40 otherwise (40000 transaction rollback, 40003 statement completion unknown)
 *       but 40002; class 53 otherwise (disk full, out of memory, configuration limit); 55P03 lock
 *       not available (lock timeout); 57014 query canceled (statement timeout)</td>
 *       <td>{@link Kind#TRANSIENT}</td><td>{@code StoreException}</td><td>yes</td></tr>
 *   <tr><td>class 28 (authentication), 3D000 no such database; no SQLState but an
 *       {@code SQLNonTransientConnectionException}</td><td>{@link Kind#REFUSED}</td>
 *       <td>{@code StoreUnavailableException} (check the DataSource's settings)</td><td>yes</td></tr>
 *   <tr><td>42P01 undefined table, 3F000 no such schema</td><td>{@link Kind#SCHEMA_MISSING}</td>
 *       <td>{@code SchemaMissingException}</td><td>no</td></tr>
 *   <tr><td>42703 undefined column, 42804 datatype mismatch</td><td>{@link Kind#SCHEMA_MISMATCH}</td>
 *       <td>{@code SchemaMismatchException}</td><td>no</td></tr>
 *   <tr><td>anything else: class XX (XX000 internal error, XX001 data corrupted), 22 (data
 *       exception), 23 (integrity, but a stored key, which is a lost race), 40002, 42 (syntax,
 *       42501 insufficient privilege), 0A, 25 otherwise, 55 otherwise, 57P04 database dropped,
 *       no SQLState at all</td><td>{@link Kind#FAULT}</td><td>{@code StoreFaultException},
 *       "retrying cannot fix it"</td><td>no</td></tr>
 * </table>
 *
 * <p>The store tries every statement once: the gate retries a retry-safe failure within the
 * store's one {@code RetryPolicy}. A failure of the statement that carries a change's
 * {@code COMMIT} is not sorted here alone: if it may have come after the server committed, the
 * store throws {@code CommitOutcomeUnknownException} instead (see {@code Transactions}).
 */
final class Failures {
  /**
   * PostgreSQL's reserved key words, and those it reserves for type and function names (the
   * categories R and T of {@code pg_get_keywords()}, PostgreSQL 16): none can name a schema
   * unquoted.
   */
  static final Set<String> RESERVED_WORDS = Set.of("all", "analyse", "analyze", "and", "any", "array", "as",
      "asc", "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate", "collation",
      "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
      "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default",
      "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign",
      "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
      "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
      "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
      "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user",
      "similar", "some", "symmetric", "system_user", "table", "tablesample", "then", "to", "trailing", "true",
      "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with");
  /** The longest identifier PostgreSQL keeps whole: 63 bytes (NAMEDATALEN - 1). */
  static final int MAX_IDENTIFIER_BYTES = 63;

  private Failures() {}

  /** What a failed statement means for the store; see the table above. */
  enum Kind {
    /** A serialization failure or deadlock: the transaction was rolled back; running it again works. */
    CONFLICT(true),
    /** The connection could not be opened, broke, or the server is stopping, starting or full. */
    UNAVAILABLE(true),
    /** The DataSource's pool had no connection to hand out in its time-out. */
    POOL_TIMEOUT(true),
    /** The server could not finish it now (a time-out, out of resources); it rolled back. */
    TRANSIENT(true),
    /** The database refused us (credentials, no such database): retry-safe, as it may be fixed. */
    REFUSED(true),
    /** A table of the schema is missing. */
    SCHEMA_MISSING(false),
    /** A column is missing or has another type: the tables are of another schema version. */
    SCHEMA_MISMATCH(false),
    /** A bug, corrupt or impossible data, a privilege: the same call fails the same way. */
    FAULT(false);

    /** Whether the same call, with the same key, may succeed later: nothing about it is wrong. */
    final boolean retrySafe;

    Kind(boolean retrySafe) {
      this.retrySafe = retrySafe;
    }
  }

  static Kind classify(SQLException e) {
    if (e instanceof SQLTransientConnectionException) {
      // Before the SQLState: HikariCP copies the state of the pool's last connection failure.
      return Kind.POOL_TIMEOUT;
    }
    String state = sqlState(e);
    if (state == null) {
      // Pools and drivers that do not set an SQLState still use the standard subclasses.
      if (e instanceof SQLRecoverableException || e instanceof SQLTransientException) {
        return Kind.UNAVAILABLE;
      }
      return e instanceof SQLNonTransientConnectionException ? Kind.REFUSED : Kind.FAULT;
    }
    Kind exact = switch (state) {
      case "40001", "40P01" -> Kind.CONFLICT;
      case "57P01", "57P02", "57P03", "57P05", "25P03", "25P04", "53300", "25006" -> Kind.UNAVAILABLE;
      case "55P03", "57014" -> Kind.TRANSIENT;
      case "3D000" -> Kind.REFUSED;
      case "42P01", "3F000" -> Kind.SCHEMA_MISSING;
      case "42703", "42804" -> Kind.SCHEMA_MISMATCH;
      case "40002" -> Kind.FAULT;
      default -> null;
    };
    if (exact != null) {
      return exact;
    }
    return switch (state.length() == 5 ? state.substring(0, 2) : "") {
      case "08" -> Kind.UNAVAILABLE;
      case "40", "53" -> Kind.TRANSIENT;
      case "28" -> Kind.REFUSED;
      default -> Kind.FAULT;
    };
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

  /**
   * The first SQLState on {@code e}, its chain of next exceptions, then its causes (a pool or a
   * wrapper may put the driver's exception there); {@code null} if none has one.
   */
  static String sqlState(SQLException e) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable cause = e; cause != null && seen.put(cause, Boolean.TRUE) == null; cause = cause.getCause()) {
      SQLException cur = cause instanceof SQLException sql ? sql : null;
      while (cur != null) {
        if (cur.getSQLState() != null) {
          return cur.getSQLState();
        }
        cur = cur.getNextException();
        if (cur != null && seen.put(cur, Boolean.TRUE) != null) {
          break;
        }
      }
    }
    return null;
  }

  /** The exception for a failed statement: {@code what} failed on {@code e}. */
  static StoreException giveUp(String what, SQLException e, String script) {
    String state = " [SQLState " + sqlState(e) + ": " + e.getMessage() + "]";
    String retry = "; nothing was written, retry the call with the same idempotency key";
    return switch (classify(e)) {
      case CONFLICT -> new StoreException(what + " failed on a serialization failure or deadlock" + retry + state, e);
      case UNAVAILABLE -> new StoreUnavailableException(what + " failed: " + unavailable(sqlState(e))
          + ". Check that PostgreSQL is up and the DataSource's URL" + retry + state, e);
      case POOL_TIMEOUT -> new StoreUnavailableException(what + " failed: the connection pool timed out, no "
          + "connection became available. Check the pool's size and time-out, and whether connections are held "
          + "too long or the database is down" + retry + state, e);
      case TRANSIENT -> new StoreException(what + " failed: the database could not finish it now (a statement or "
          + "lock time-out, a rolled back transaction, or out of resources)" + retry + state, e);
      case REFUSED -> new StoreUnavailableException(what + " failed: the database refused the connection. Check "
          + "the DataSource's user, password and database name" + state, e);
      case SCHEMA_MISSING -> schemaMissing(what, script, e);
      case SCHEMA_MISMATCH -> new SchemaMismatchException(what + " failed: the creditgate tables do not have the "
          + "columns this release expects. Apply the migrations up to " + script + state,
          JdbcWalletStore.SCHEMA_VERSION, e);
      case FAULT -> new StoreFaultException(what + " failed on an error that retrying cannot fix (a bug, corrupt or "
          + "impossible data, a privilege); nothing was written. Do not retry it: look at the database's "
          + "error" + state, e);
    };
  }

  /** Why the database is unavailable, by the SQLState of an {@link Kind#UNAVAILABLE} failure. */
  private static String unavailable(String state) {
    if (state == null) {
      return "the database could not be reached or the connection broke";
    }
    return switch (state) {
      case "57P01" -> "the server is shutting down (administrator command)";
      case "57P02" -> "the server shut down after a crash of another session";
      case "57P03" -> "the server is starting up or shutting down";
      case "53300" -> "the server has too many connections";
      case "25006" -> "the server accepts no writes (a standby, after a fail-over?)";
      case "57P05", "25P03", "25P04" -> "the server ended the session after a time-out";
      default -> "the database could not be reached or the connection broke";
    };
  }

  static SchemaMissingException schemaMissing(String where, String script, Throwable cause) {
    return new SchemaMissingException(where + ": the creditgate tables do not exist. Create them with "
        + "JdbcWalletStore.createSchema(), or apply the migration scripts " + script
        + " (classpath resource) with Flyway, Liquibase or psql", cause);
  }

  static SchemaMismatchException schemaMismatch(String where, int expected, int found, String script) {
    String advice = found < expected
        ? "apply the migrations up to " + script + " (or call JdbcWalletStore.createSchema())"
        : "upgrade creditgate to the release that wrote it: this one must not touch newer tables";
    return new SchemaMismatchException(where + ": the creditgate tables are at schema version " + found
        + " but this release expects version " + expected + "; " + advice, expected, found);
  }

  /**
   * The failure of reading a row that holds what the store never writes (a version below 1,
   * nanoseconds outside 0..999): SQLState XX001, data corrupted, which {@link #giveUp} turns into a
   * {@link StoreFaultException} that quotes {@code message}.
   */
  static SQLException corruptRow(String message) {
    return new SQLDataException(message, "XX001");
  }

  /** Whether {@code e} failed on data corrupted (SQLState XX001): a row the store never writes. */
  static boolean isCorruptRow(StoreException e) {
    return e.getCause() instanceof SQLException cause && "XX001".equals(sqlState(cause));
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

  /**
   * {@code name}, if it can name a schema unquoted in every statement of the store: a lower-case
   * identifier of at most 63 bytes, not reserved, not a system schema's.
   *
   * @throws InvalidRequestException naming {@code setting} and the value otherwise
   */
  static String requireSchemaName(String name, String setting) {
    requireNonNull(name, setting);
    String problem = schemaNameProblem(name);
    if (problem != null) {
      throw new InvalidRequestException(setting, name, setting + " '" + name + "' " + problem);
    }
    return name;
  }

  /** Why {@code name} cannot name the store's schema, or {@code null} if it can. */
  private static String schemaNameProblem(String name) {
    if (name.isEmpty()) {
      return "is empty; leave the schema unset to use the first schema of the search path";
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_IDENTIFIER_BYTES) {
      return "is " + bytes + " bytes long, but PostgreSQL keeps at most " + MAX_IDENTIFIER_BYTES
          + " of an identifier";
    }
    for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
      int c = name.codePointAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
        return "must be an identifier of the letters a-z, digits and '_' only, but has "
            + (Character.isLetterOrDigit(c) || c > ' ' && c < 0x7f ? "'" + new String(Character.toChars(c)) + "'"
                : String.format("U+%04X", c)) + " at index " + i;
      }
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (!lower.equals(name)) {
      return "has upper-case letters, which PostgreSQL folds to lower case unless quoted: write '" + lower + "'";
    }
    if (name.charAt(0) >= '0' && name.charAt(0) <= '9') {
      return "starts with a digit, but an unquoted identifier starts with a letter or '_'";
    }
    if (name.startsWith("pg_")) {
      return "starts with 'pg_', which PostgreSQL reserves for system schemas";
    }
    if (name.equals("information_schema")) {
      return "is PostgreSQL's system schema of the SQL standard's catalog views";
    }
    if (RESERVED_WORDS.contains(name)) {
      return "is a reserved key word of PostgreSQL, which cannot name a schema unquoted";
    }
    return null;
  }
}
