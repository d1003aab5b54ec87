package dev.creditgate.postgresql.chaos;

import dev.creditgate.postgresql.PlainDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small connection pool like a service instance's, for the chaos suite: it opens connections on
 * demand (so it keeps working once the database is back after a restart), up to {@code size};
 * {@code close()} on a borrowed connection rolls back what is open and hands it back, and a
 * connection that broke is dropped, not handed out again. Connections are not checked when
 * borrowed: a connection that died while idle (its backend terminated, the server restarted)
 * fails its first statement, as it would behind a pool that validates lazily.
 *
 * <p>{@link #tinyStatementTimeout(int)} arms the next borrows with a 1 ms
 * {@code statement_timeout}, set for the borrow and reset when the connection comes back.
 */
final class ChaosPool extends PlainDataSource implements AutoCloseable {
  private final String url;
  private final Properties properties = new Properties();
  private final int size;
  private final BlockingQueue<Connection> idle;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger borrowed = new AtomicInteger();
  private final Armed tinyTimeouts = new Armed();
  private volatile boolean closed;

  /** Borrows that ran with a tiny statement timeout. */
  final AtomicInteger tinyTimeoutBorrows = new AtomicInteger();
  /** Connections dropped because they broke. */
  final AtomicInteger dropped = new AtomicInteger();

  /**
   * A pool of at most {@code size} connections to {@code url}, each named {@code name} in
   * {@code pg_stat_activity}.
   */
  ChaosPool(String url, String name, int size) {
    this.url = url;
    this.size = size;
    this.idle = new ArrayBlockingQueue<>(size);
    properties.setProperty("user", "postgres");
    properties.setProperty("password", "postgres");
    properties.setProperty("ApplicationName", name);
    // Nothing may hang: bounded connects, and reads that give up on a server that went silent.
    properties.setProperty("connectTimeout", "2");
    properties.setProperty("loginTimeout", "5");
    properties.setProperty("socketTimeout", "10");
  }

  /** Arms the next {@code n} borrows with {@code statement_timeout = 1ms}. */
  void tinyStatementTimeout(int n) {
    tinyTimeouts.arm(n);
  }

  /** Stops arming tiny timeouts. */
  void disarm() {
    tinyTimeouts.disarm();
  }

  /** Connections borrowed and not handed back yet. */
  int borrowedCount() {
    return borrowed.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (closed) {
      throw new SQLException("pool closed", "08003");
    }
    Connection c = idle.poll();
    if (c == null) {
      c = openIfRoom();
    }
    if (c == null) {
      try {
        c = idle.poll(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLTransientConnectionException("interrupted while waiting for a connection", "08001", e);
      }
      if (c == null) {
        throw new SQLTransientConnectionException("no connection free for 5 s: one leaked?", "08001");
      }
    }
    boolean tiny = tinyTimeouts.take();
    if (tiny) {
      try (Statement s = c.createStatement()) {
        s.execute("SET statement_timeout = 1");
        tinyTimeoutBorrows.incrementAndGet();
      } catch (SQLException e) {
        drop(c);
        throw e;
      }
    }
    borrowed.incrementAndGet();
    return borrowed(c, tiny);
  }

  private Connection openIfRoom() throws SQLException {
    for (int n; (n = open.get()) < size; ) {
      if (open.compareAndSet(n, n + 1)) {
        try {
          return DriverManager.getConnection(url, properties);
        } catch (SQLException | RuntimeException e) {
          open.decrementAndGet();
          throw e;
        }
      }
    }
    return null;
  }

  private Connection borrowed(Connection c, boolean tiny) {
    boolean[] handedBack = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            if (!handedBack[0]) {
              handedBack[0] = true;
              borrowed.decrementAndGet();
              giveBack(c, tiny);
            }
            return null;
          }
          if (method.getName().equals("isClosed") && handedBack[0]) {
            return true;
          }
          if (handedBack[0]) {
            throw new SQLException("connection already handed back", "08003");
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private void giveBack(Connection c, boolean tiny) {
    try {
      if (c.isClosed()) {
        drop(c);
        return;
      }
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
      if (tiny) {
        try (Statement s = c.createStatement()) {
          s.execute("RESET statement_timeout");
        }
      }
      if (closed || !idle.offer(c)) {
        drop(c);
      }
    } catch (SQLException | RuntimeException e) {
      drop(c); // broken: the next borrow opens a new one
    }
  }

  private void drop(Connection c) {
    dropped.incrementAndGet();
    open.decrementAndGet();
    try {
      c.close();
    } catch (SQLException ignored) {
      // broken anyway
    }
  }

  /** Closes the idle connections; those still borrowed are closed when handed back. */
  @Override
  public void close() {
    closed = true;
    for (Connection c; (c = idle.poll()) != null; ) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }
}
