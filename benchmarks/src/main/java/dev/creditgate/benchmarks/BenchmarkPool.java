package dev.creditgate.benchmarks;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A fixed-size connection pool, like the tests' (the library leaves pooling to the host): all
 * connections open up front, {@code close()} on a borrowed one rolls back what is still open and
 * hands it back. The gate and the baseline borrow from the same pool, so both pay the same.
 *
 * <p>Last in, first out, like HikariCP's preference for the connection a thread used last: with
 * fewer threads than connections the same few server processes stay warm. (First in, first out
 * rotates every call through all the connections and measured up to twice as slow per statement
 * on a 2-core machine, for the gate and the baseline alike.)
 */
final class BenchmarkPool implements DataSource, AutoCloseable {
  private final BlockingDeque<Connection> idle;
  private final List<Connection> all = new ArrayList<>();

  BenchmarkPool(DataSource physical, int size) throws SQLException {
    this.idle = new LinkedBlockingDeque<>(size);
    for (int i = 0; i < size; i++) {
      Connection c = physical.getConnection();
      all.add(c);
      idle.add(c);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c;
    try {
      c = idle.pollFirst(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted", "08001");
    }
    if (c == null) {
      throw new SQLTransientConnectionException("pool exhausted for 30 s: a connection leaked?", "08001");
    }
    return borrowed(c);
  }

  private Connection borrowed(Connection c) {
    boolean[] closed = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            if (!closed[0]) {
              closed[0] = true;
              giveBack(c);
            }
            return null;
          }
          if (method.getName().equals("isClosed") && closed[0]) {
            return true;
          }
          if (closed[0]) {
            throw new SQLException("connection already handed back", "08003");
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private void giveBack(Connection c) throws SQLException {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } finally {
      idle.addFirst(c); // a broken connection fails its next user loudly instead of shrinking the pool
    }
  }

  @Override
  public synchronized void close() {
    for (Connection c : all) {
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

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
