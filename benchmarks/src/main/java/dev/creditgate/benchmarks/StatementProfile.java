package dev.creditgate.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Where a PostgreSQL fork's server time went, statement by statement: {@code pg_stat_statements}
 * reset once the fork's JIT warm-up is done, and read when the fork ends, each statement's calls,
 * mean execution time and execution time per operation appended to a file. Off unless the system
 * property {@code bench.statements} names that file ({@link RunAll} passes
 * {@code benchmarks/results/statements.txt} when it is run with {@code -Dbench.statements=true}):
 * loading the extension costs the server a little on every statement, so the throughput figures
 * are measured without it.
 *
 * <p>Execution time is the server's time inside the executor (a statement waiting for a lock
 * counts its wait); parsing, the protocol and the commit's WAL flush are not in it.
 */
final class StatementProfile {
  /** The statements a report lists: the costliest. */
  private static final int TOP = 8;

  private final Path file;
  private long startedAt;
  private String label;

  private StatementProfile(Path file) {
    this.file = file;
  }

  /** The profile {@code bench.statements} asks for, or one that does nothing. */
  static StatementProfile fromSystemProperty() {
    String file = System.getProperty("bench.statements");
    return new StatementProfile(file == null || file.isBlank() ? null : Path.of(file));
  }

  /** Loads {@code pg_stat_statements} into the server about to start, if profiling. */
  void configure(EmbeddedPostgres.Builder server) {
    if (file != null) {
      server.setServerConfig("shared_preload_libraries", "pg_stat_statements");
      server.setServerConfig("pg_stat_statements.track", "all");
    }
  }

  /**
   * Starts counting from here: {@code operations} is the fork's count of operations so far, and
   * {@code label} says what the fork measures.
   */
  void start(DataSource database, long operations, String label) throws SQLException {
    if (file == null) {
      return;
    }
    try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      s.execute("SELECT pg_stat_statements_reset()");
    }
    startedAt = operations;
    this.label = label;
  }

  /** Appends the costliest statements since {@link #start}, per operation, under its label. */
  void write(DataSource database, long operations) throws SQLException, IOException {
    if (file == null || label == null) {
      return;
    }
    long ops = Math.max(1, operations - startedAt);
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%n%s: %,d operations; server execution time per operation by statement%n", label, ops));
    double total = 0;
    try (Connection c = database.getConnection(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT calls, mean_exec_time, total_exec_time,"
             + " regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements"
             + " WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC")) {
      int row = 0;
      while (r.next()) {
        double perOp = r.getDouble(3) * 1_000 / ops;
        total += perOp;
        if (row++ < TOP) {
          String query = r.getString(4);
          out.append(String.format(Locale.ROOT, "  %7.1f us/op  %,10d calls  %7.1f us each  %s%n", perOp,
              r.getLong(1), r.getDouble(2) * 1_000, query.length() > 150 ? query.substring(0, 150) + "..." : query));
        }
      }
    }
    out.append(String.format(Locale.ROOT, "  %7.1f us/op  in all%n", total));
    Files.writeString(file, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
