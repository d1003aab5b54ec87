package dev.creditgate.postgresql.chaos;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The chaos suite's own PostgreSQL, apart from the one the other tests share (it is stopped and
 * started again mid-run): an embedded server on a fixed port with a data directory the suite
 * keeps, so that {@link #restart} brings the same data back on the same port. zonky's builder
 * allows it: with {@code setCleanDataDirectory(false)} it runs {@code initdb} only when the
 * directory has no {@code postgresql.conf}, and {@code close()} stops the server
 * ({@code pg_ctl stop -m fast}: sessions are terminated, open transactions roll back) and leaves
 * the directory; {@link #close()} deletes it.
 */
final class ChaosServer implements AutoCloseable {
  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres running;

  private ChaosServer(Path dataDirectory, int port) throws IOException {
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.running = boot();
  }

  /** Initialises a data directory and starts a server on a free loopback port. */
  static ChaosServer start() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("creditgate-chaos-pg");
      return new ChaosServer(dir, freePort());
    } catch (IOException | RuntimeException e) {
      if (dir != null) {
        delete(dir);
      }
      throw e instanceof IOException io ? new UncheckedIOException("cannot start the chaos PostgreSQL", io)
          : (RuntimeException) e;
    }
  }

  private EmbeddedPostgres boot() throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("max_connections", "200")
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("full_page_writes", "off")
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The port PostgreSQL listens on (the same after a restart). */
  int port() {
    return port;
  }

  /**
   * A JDBC URL to the server on {@code port} (this server's, or a proxy's in front of it), in the
   * clear, so that a proxy can read the protocol.
   */
  static String url(int port) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable&gssEncMode=disable";
  }

  /** A connection straight to the server, bypassing any proxy: the suite's admin connection. */
  Connection admin() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", "postgres");
    p.setProperty("ApplicationName", "creditgate-chaos-admin");
    p.setProperty("connectTimeout", "5");
    p.setProperty("socketTimeout", "15");
    return DriverManager.getConnection(url(port), p);
  }

  /** Stops the server, keeps it down for {@code downMillis}, and starts it again on its data. */
  synchronized void restart(long downMillis) throws IOException, InterruptedException {
    EmbeddedPostgres stopping = running;
    running = null;
    stopping.close();
    Thread.sleep(downMillis);
    running = boot();
  }

  /** Stops the server (if it runs) and deletes its data directory. */
  @Override
  public synchronized void close() {
    try {
      if (running != null) {
        running.close();
        running = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(dataDirectory);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
