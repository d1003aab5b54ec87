package dev.creditgate.postgresql;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Wraps a DataSource that opens a physical connection per call, and breaks things on purpose: on
 * the Nth statement of a connection (each execute, executeQuery, executeUpdate, executeBatch and
 * commit counts as one) it injects a {@link Fault}, for the next {@code times} connections (after
 * skipping some, to reach a later connection of a call). It also records every JDBC call, for the
 * tests that check how the store talks to the driver, and how many statements each connection ran.
 */
final class FaultyDataSource extends PlainDataSource {
  private static final Set<String> STATEMENTS =
      Set.of("execute", "executeQuery", "executeUpdate", "executeBatch", "executeLargeUpdate", "commit");

  /** What goes wrong. */
  enum Fault {
    /** The connection drops before the statement runs: the server rolls the transaction back. */
    BREAK_CONNECTION,
    /** The connection drops just after the database committed: the client cannot know it did. */
    BREAK_AFTER_COMMIT,
    /** The statement fails with a serialization failure (40001); the connection stays usable. */
    SERIALIZATION_FAILURE,
    /** The statement fails with an error nobody should retry (XX000, internal error). */
    INTERNAL_ERROR
  }

  private final DataSource physical;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<String> thrown = new CopyOnWriteArrayList<>();
  private volatile int nth;
  private volatile Fault fault;
  private final AtomicInteger faultyConnections = new AtomicInteger();
  private int skipConnections;
  private final List<AtomicInteger> statementsPerConnection = new CopyOnWriteArrayList<>();
  private final AtomicInteger injected = new AtomicInteger();
  private volatile boolean down;

  FaultyDataSource(DataSource physical) {
    this.physical = physical;
  }

  /** Injects {@code fault} at the {@code nth} statement of each of the next {@code times} connections. */
  void arm(int nth, Fault fault, int times) {
    arm(0, nth, fault, times);
  }

  /**
   * Injects {@code fault} at the {@code nth} statement of each of {@code times} connections, from
   * the one after the next {@code skip} connections on.
   */
  synchronized void arm(int skip, int nth, Fault fault, int times) {
    this.nth = nth;
    this.fault = fault;
    this.skipConnections = skip;
    this.faultyConnections.set(times);
  }

  synchronized void disarm() {
    skipConnections = 0;
    faultyConnections.set(0);
  }

  /** How many statements each connection opened since the last {@link #clearStatementCounts} ran, in order. */
  List<Integer> statementsPerConnection() {
    return statementsPerConnection.stream().map(AtomicInteger::get).toList();
  }

  void clearStatementCounts() {
    statementsPerConnection.clear();
  }

  /** While down, every getConnection fails as if the server refused it. */
  void setDown(boolean down) {
    this.down = down;
  }

  int injectedCount() {
    return injected.get();
  }

  List<String> calls() {
    return calls;
  }

  /** The SQLState of every SQLException the wrapped driver (not an injected fault) threw. */
  List<String> thrownStates() {
    return thrown;
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (down) {
      throw new SQLException("Connection to localhost refused (injected)", "08001");
    }
    Connection c = physical.getConnection();
    Fault planned;
    int at;
    synchronized (this) {
      boolean skipped = skipConnections > 0;
      if (skipped) {
        skipConnections--;
      }
      planned = !skipped && faultyConnections.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? fault : null;
      at = nth;
    }
    AtomicInteger count = new AtomicInteger();
    statementsPerConnection.add(count);
    return wrap(c, planned, at, count);
  }

  private Connection wrap(Connection c, Fault planned, int at, AtomicInteger count) {
    boolean[] broken = {false};
    return (Connection) proxy(Connection.class, c, (method, args, invoke) -> {
      String name = method.getName();
      if (broken[0] && !name.equals("close") && !name.equals("isClosed")) {
        throw new SQLException("An I/O error occurred while sending to the backend (injected)", "08006");
      }
      if (name.equals("commit") && count.incrementAndGet() == at && planned != null) {
        return inject(c, planned, broken, invoke);
      }
      Object result = invoke.call();
      if (result instanceof Statement statement) {
        return proxy(statementInterface(name), statement, (m, a, call) -> {
          if (broken[0]) {
            throw new SQLException("An I/O error occurred while sending to the backend (injected)", "08006");
          }
          if (STATEMENTS.contains(m.getName()) && count.incrementAndGet() == at && planned != null) {
            return inject(c, planned, broken, call);
          }
          return call.call();
        });
      }
      return result;
    });
  }

  private Object inject(Connection c, Fault planned, boolean[] broken, Call call) throws Throwable {
    injected.incrementAndGet();
    calls.add("FAULT " + planned);
    switch (planned) {
      case BREAK_CONNECTION -> {
        broken[0] = true;
        c.close();
        throw new SQLException("An I/O error occurred while sending to the backend (injected)", "08006");
      }
      case BREAK_AFTER_COMMIT -> {
        call.call();
        broken[0] = true;
        c.close();
        throw new SQLException("An I/O error occurred while sending to the backend (injected)", "08006");
      }
      case SERIALIZATION_FAILURE -> throw new SQLException(
          "could not serialize access due to concurrent update (injected)", "40001");
      default -> throw new SQLException("internal error (injected)", "XX000");
    }
  }

  private static Class<?> statementInterface(String factory) {
    return switch (factory) {
      case "prepareStatement" -> java.sql.PreparedStatement.class;
      case "prepareCall" -> java.sql.CallableStatement.class;
      default -> Statement.class;
    };
  }

  @FunctionalInterface
  private interface Call {
    Object call() throws Throwable;
  }

  @FunctionalInterface
  private interface Handler {
    Object handle(Method method, Object[] args, Call invoke) throws Throwable;
  }

  private Object proxy(Class<?> type, Object target, Handler handler) {
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
      calls.add(type.getSimpleName() + "." + method.getName() + (args == null ? "" : describe(args)));
      return handler.handle(method, args, () -> {
        try {
          return method.invoke(target, args);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof SQLException sql) {
            thrown.add(String.valueOf(sql.getSQLState()));
          }
          throw e.getCause();
        }
      });
    });
  }

  private static String describe(Object[] args) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < args.length; i++) {
      b.append(i == 0 ? "" : ", ").append(args[i] instanceof String s && s.length() > 40 ? s.substring(0, 40) : args[i]);
    }
    return b.append(')').toString();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

}
