package dev.creditgate.postgresql;

import static dev.creditgate.postgresql.JdbcWalletStore.LIQUIBASE_CHANGELOG;
import static dev.creditgate.postgresql.JdbcWalletStore.SCHEMA_LOCATION;
import static dev.creditgate.postgresql.JdbcWalletStore.SCHEMA_RESOURCE;
import static dev.creditgate.postgresql.JdbcWalletStore.SCHEMA_RESOURCES;
import static dev.creditgate.postgresql.JdbcWalletStore.SCHEMA_VERSION;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, migrates and checks the store's tables, and makes sure they were checked before first
 * use.
 */
final class SchemaInstaller {
  /** The scripts that create the tables, as a message that says what is missing names them. */
  static final String MIGRATION_SCRIPTS = String.join(" then ", SCHEMA_RESOURCES);
  /** How to bring tables of an older version up to date, as a message about them says. */
  static final String UPGRADE = SCHEMA_RESOURCE + " with Flyway (location classpath:" + SCHEMA_LOCATION
      + ") or Liquibase (" + LIQUIBASE_CHANGELOG + ")";

  // The store's log, whichever class of it writes.
  private static final Logger log = LoggerFactory.getLogger(JdbcWalletStore.class);
  // Key of the advisory lock that serializes createSchema() across processes ("creditgt").
  private static final long SCHEMA_LOCK_KEY = 0x6372656469746774L;
  /**
   * How long a migration waits for a table's lock, once it holds the schema's: {@value}. An
   * {@code ALTER TABLE} waits for every transaction using its table, and every call that comes
   * meanwhile waits behind it; past this time the migration gives up (a {@code StoreException},
   * safe to retry) instead of holding up the calls.
   */
  static final String MIGRATION_LOCK_TIMEOUT = "5s";

  private final String schema;
  private final Statements sql;
  private final Transactions transactions;
  private volatile boolean schemaVerified;

  /** The installer of the tables in {@code schema}, or in the search path's first schema if null. */
  SchemaInstaller(String schema, Statements sql, Transactions transactions) {
    this.schema = schema;
    this.sql = sql;
    this.transactions = transactions;
  }

  /** See {@link JdbcWalletStore#createSchema()}. */
  void createSchema() {
    transactions.inTransaction("creating the creditgate schema", tx -> {
      Connection c = tx.connection;
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK_KEY + ")");
        s.execute("SET LOCAL lock_timeout = '" + MIGRATION_LOCK_TIMEOUT + "'");
        if (schema != null) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
          s.execute("SET LOCAL search_path TO " + schema);
        }
        int found = installedVersion(c);
        if (found > SCHEMA_VERSION) {
          throw Failures.schemaMismatch("creating the creditgate schema", SCHEMA_VERSION, found, UPGRADE);
        }
        // Each version's script in turn, from the first one missing: a database of an earlier
        // release is migrated in place, in this one transaction.
        for (int version = found + 1; version <= SCHEMA_VERSION; version++) {
          for (String statement : statements(script(version))) {
            s.execute(statement);
          }
        }
        if (found < SCHEMA_VERSION) {
          log.info("{} the creditgate schema to version {}{}", found == 0 ? "created" : "migrated from version " + found,
              SCHEMA_VERSION, schema == null ? "" : " in schema " + schema);
        }
      }
      return null;
    });
    schemaVerified = true;
  }

  /** See {@link JdbcWalletStore#verifySchema()}. */
  void verifySchema() {
    int found = transactions.read("checking the creditgate schema", this::installedVersion);
    if (found == 0) {
      throw Failures.schemaMissing("checking the creditgate schema" + (schema == null ? "" : " in schema " + schema),
          MIGRATION_SCRIPTS, null);
    }
    if (found != SCHEMA_VERSION) {
      throw Failures.schemaMismatch("checking the creditgate schema", SCHEMA_VERSION, found, UPGRADE);
    }
    schemaVerified = true;
  }

  /** Verifies the schema unless this store created or verified it already. */
  void ensureSchema() {
    if (!schemaVerified) {
      verifySchema();
    }
  }

  /** The installed schema version, 0 when the version table does not exist; takes no lock. */
  private int installedVersion(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, sql.versionTable);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return 0;
        }
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM " + sql.versionTable)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The migration script that brings the tables from {@code version - 1} to {@code version}. */
  static String script(int version) {
    String resource = SCHEMA_RESOURCES.get(version - 1);
    try (InputStream in = SchemaInstaller.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the creditgate jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** The script's statements, without comments; the script has no string containing "--" or ";". */
  static List<String> statements(String script) {
    StringBuilder code = new StringBuilder();
    for (String line : script.split("\n")) {
      int comment = line.indexOf("--");
      code.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
    }
    List<String> statements = new ArrayList<>();
    for (String part : code.toString().split(";")) {
      if (!part.isBlank()) {
        statements.add(part.trim());
      }
    }
    return statements;
  }
}
