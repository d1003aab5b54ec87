package dev.creditgate.postgresql;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A minimal fixed-size connection pool for the tests (the library leaves pooling to the host):
 * {@code close()} on a borrowed connection rolls back what is open and hands it back; a broken one
 * is replaced.
 */
public final class TestPool extends PlainDataSource implements AutoCloseable {
  private final DataSource physical;
  private final BlockingQueue<Connection> idle;
  private final List<Connection> all = new ArrayList<>();

  TestPool(DataSource physical, int size) {
    this.physical = physical;
    this.idle = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      idle.add(open());
    }
  }

  private synchronized Connection open() {
    try {
      Connection c = physical.getConnection();
      all.add(c);
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c;
    try {
      c = idle.poll(30, TimeUnit.SECONDS);
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

  private void giveBack(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
      idle.add(c);
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // broken anyway
      }
      idle.add(open());
    }
  }

  /** Connections currently borrowed (0 once every caller gave its connection back). */
  public int borrowedCount() {
    return idle.remainingCapacity();
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

}
