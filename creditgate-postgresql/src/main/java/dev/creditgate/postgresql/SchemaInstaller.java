package dev.creditgate.postgresql;

import static dev.creditgate.postgresql.JdbcWalletStore.SCHEMA_RESOURCE;
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

/** Creates and checks the store's tables, and makes sure they were checked before first use. */
final class SchemaInstaller {
  // The store's log, whichever class of it writes.
  private static final Logger log = LoggerFactory.getLogger(JdbcWalletStore.class);
  // Key of the advisory lock that serializes createSchema() across processes ("creditgt").
  private static final long SCHEMA_LOCK_KEY = 0x6372656469746774L;

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
    String script = schemaScript();
    transactions.inTransaction("creating the creditgate schema", tx -> {
      Connection c = tx.connection;
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK_KEY + ")");
        if (schema != null) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
          s.execute("SET LOCAL search_path TO " + schema);
        }
        int found = installedVersion(c);
        if (found == 0) {
          for (String statement : statements(script)) {
            s.execute(statement);
          }
          log.info("created the creditgate schema version {}{}", SCHEMA_VERSION,
              schema == null ? "" : " in schema " + schema);
        } else if (found != SCHEMA_VERSION) {
          throw Failures.schemaMismatch("creating the creditgate schema", SCHEMA_VERSION, found, SCHEMA_RESOURCE);
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
          SCHEMA_RESOURCE, null);
    }
    if (found != SCHEMA_VERSION) {
      throw Failures.schemaMismatch("checking the creditgate schema", SCHEMA_VERSION, found, SCHEMA_RESOURCE);
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

  static String schemaScript() {
    try (InputStream in = SchemaInstaller.class.getResourceAsStream("/" + SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the creditgate jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SCHEMA_RESOURCE, e);
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
