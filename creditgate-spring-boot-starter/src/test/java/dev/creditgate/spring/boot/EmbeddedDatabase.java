package dev.creditgate.spring.boot;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * One embedded PostgreSQL per test JVM; each test keeps creditgate's tables in a schema of its
 * own ({@link #newSchema()}), so tests never see each other's wallets.
 */
final class EmbeddedDatabase {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static EmbeddedPostgres server;

  private EmbeddedDatabase() {}

  static DataSource dataSource() {
    return server().getPostgresDatabase();
  }

  /** The JDBC URL of a new, empty database on the server (user and password {@code postgres}). */
  static String newDatabaseUrl() {
    String name = "starter_db_" + SCHEMAS.incrementAndGet();
    try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return server().getJdbcUrl("postgres", name);
  }

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        EmbeddedPostgres started = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            started.close();
          } catch (IOException ignored) {
            // the JVM is going away; the server's directory is temporary
          }
        }));
        server = started;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      }
    }
    return server;
  }

  /** A schema name no test used before; the schema itself does not exist yet. */
  static String newSchema() {
    return "starter_test_" + SCHEMAS.incrementAndGet();
  }

  static boolean tableExists(String schema, String table) {
    try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT to_regclass('" + schema + "." + table + "') IS NOT NULL")) {
      rows.next();
      return rows.getBoolean(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
