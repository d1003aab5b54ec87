package dev.creditgate.postgresql;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The PostgreSQL the tests use, started once per test JVM: an embedded server, or the database
 * that the environment variable {@code CREDITGATE_TEST_JDBC_URL} names (a full JDBC URL with
 * {@code user} and {@code password} parameters). Tests keep their tables in schemas of their own,
 * which they drop and create, so they never touch anything else in that database.
 */
public final class TestDatabase {
  /** The schema the contract and concurrency tests share (emptied before each test). */
  public static final String SCHEMA = "creditgate_test";

  private static TestDatabase instance;

  private final String url;
  private final String user;
  private final String password;

  private TestDatabase(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  public static synchronized TestDatabase get() {
    if (instance == null) {
      String external = System.getenv("CREDITGATE_TEST_JDBC_URL");
      instance = external != null && !external.isBlank() ? new TestDatabase(external, null, null) : embedded();
      instance.recreate(SCHEMA);
    }
    return instance;
  }

  private static TestDatabase embedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setServerConfig("max_connections", "300")
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException ignored) {
          // the JVM is going away; the server's directory is temporary
        }
      }));
      return new TestDatabase(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
    }
  }

  /** A DataSource that opens a new physical connection on every call. */
  public DataSource unpooled() {
    return new DriverDataSource(url, user, password);
  }

  /** The URL and credentials of the test database, for a DataSource of the caller's choice. */
  public String url() {
    return url;
  }

  /** A pool of {@code size} connections of its own, like a service instance's. */
  public TestPool pool(int size) {
    return new TestPool(unpooled(), size);
  }

  /** A store builder on {@code ds} with the tables in {@code schema}. */
  public static JdbcWalletStore.Builder store(DataSource ds, String schema) {
    return JdbcWalletStore.builder(ds).schema(schema);
  }

  /**
   * Takes, in {@code c}'s open transaction, the lock the store takes on {@code account}'s wallet
   * in {@code schema} (as another instance's attempt holds it while it decides): until {@code c}
   * commits or rolls back, the store's attempts on that wallet wait.
   */
  public static void holdWalletLock(Connection c, String schema, String account) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(new Statements(schema).walletLock)) {
      ps.setString(1, account);
      ps.execute();
    }
  }

  /** Drops {@code schema} with everything in it and creates the creditgate tables there. */
  public void recreate(String schema) {
    drop(schema);
    JdbcWalletStore.builder(unpooled()).schema(schema).build().createSchema();
  }

  public void drop(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  /** Empties the tables of {@code schema}. */
  public void truncate(String schema) {
    execute("TRUNCATE " + schema + ".creditgate_wallet, " + schema + ".creditgate_ledger, " + schema
        + ".creditgate_idempotency, " + schema + ".creditgate_event");
  }

  public void execute(String sql) {
    try (Connection c = unpooled().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
