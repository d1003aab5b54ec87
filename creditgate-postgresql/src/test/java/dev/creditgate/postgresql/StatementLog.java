package dev.creditgate.postgresql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;

/**
 * Wraps a DataSource and keeps every statement its connections execute, with the parameters bound
 * to it: what the store sent, for the test that checks each statement names one account.
 */
final class StatementLog extends PlainDataSource {
  private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");

  /** One statement as sent: its text and its parameters by index. */
  record Sent(String sql, Map<Integer, Object> parameters) {}

  private final DataSource wrapped;
  private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();

  StatementLog(DataSource wrapped) {
    this.wrapped = wrapped;
  }

  List<Sent> sent() {
    return List.copyOf(sent);
  }

  void clear() {
    sent.clear();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connection(wrapped.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return connection(wrapped.getConnection(username, password));
  }

  private Connection connection(Connection real) {
    return proxy(Connection.class, (proxy, method, args) -> {
      Object result = invoke(real, method, args);
      if (method.getName().equals("prepareStatement")) {
        return prepared((PreparedStatement) result, (String) args[0]);
      }
      if (method.getName().equals("createStatement")) {
        return plain((Statement) result);
      }
      return result;
    });
  }

  private PreparedStatement prepared(PreparedStatement real, String sql) {
    Map<Integer, Object> parameters = new TreeMap<>();
    return proxy(PreparedStatement.class, (proxy, method, args) -> {
      String name = method.getName();
      if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index) {
        parameters.put(index, args[1]);
      } else if (name.equals("clearParameters")) {
        parameters.clear();
      } else if (EXECUTES.contains(name) && (args == null || args.length == 0)) {
        sent.add(new Sent(sql, new TreeMap<>(parameters)));
      } else if (EXECUTES.contains(name)) {
        sent.add(new Sent((String) args[0], Map.of()));
      }
      return invoke(real, method, args);
    });
  }

  private Statement plain(Statement real) {
    return proxy(Statement.class, (proxy, method, args) -> {
      if (EXECUTES.contains(method.getName()) && args != null && args.length >= 1) {
        sent.add(new Sent((String) args[0], Map.of()));
      }
      return invoke(real, method, args);
    });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return (T) Proxy.newProxyInstance(StatementLog.class.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
