package dev.creditgate.postgresql.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Injects one fault after another until its deadline, on a schedule drawn from its seed: every
 * kind once per round, in a shuffled order, with a pause of 100 to 300 ms between two, and the
 * server's stops and restarts at fixed points of the run. It counts what it injected; the proxy
 * and the pools count what fired.
 */
final class ChaosMonkey implements Runnable {
  /** The kinds of fault, each injected once per round. */
  enum Fault {
    /** The proxy drops the server's next commit replies (1 to 3) and resets their connections. */
    SWALLOW_COMMIT_REPLY,
    /** The proxy drops every commit reply for 300 to 600 ms: longer than the gate's retries. */
    SWALLOW_COMMIT_REPLIES_FOR_A_WHILE,
    /** The proxy resets the connection of the next statements (1 to 3), before the server sees them. */
    RESET_BEFORE_STATEMENT,
    /** The proxy resets the connection of the next statements (1 to 3) once the server got them. */
    RESET_AFTER_STATEMENT,
    /** The proxy holds every byte for 100 to 500 ms. */
    STALL,
    /** {@code pg_terminate_backend} on 1 or 2 of the gates' backends, from the admin connection. */
    TERMINATE_BACKEND,
    /** {@code LOCK TABLE creditgate_wallet IN ACCESS EXCLUSIVE MODE} for 100 to 400 ms. */
    LOCK_WALLET_TABLE,
    /** The next borrows (1 to 4) from one pool run with {@code statement_timeout = 1ms}. */
    TINY_STATEMENT_TIMEOUT,
    /** The server stops, stays down 300 ms and starts again on its data (scheduled, not drawn). */
    SERVER_RESTART
  }

  private final long seed;
  private final Random random;
  private final long deadline;
  private final List<Long> restartsAt;
  private final WireProxy proxy;
  private final ChaosServer server;
  private final List<ChaosPool> pools;
  private final String schema;
  private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private int terminated;
  private long restartMillis;

  /**
   * A monkey that runs until {@code deadline} (a {@link System#nanoTime()}) and restarts the
   * server at each of {@code restartsAt}.
   */
  ChaosMonkey(long seed, long deadline, List<Long> restartsAt, WireProxy proxy, ChaosServer server,
      List<ChaosPool> pools, String schema) {
    this.seed = seed;
    this.random = new Random(seed);
    this.deadline = deadline;
    this.restartsAt = new ArrayList<>(restartsAt);
    this.proxy = proxy;
    this.server = server;
    this.pools = pools;
    this.schema = schema;
  }

  @Override
  public void run() {
    List<Fault> round = new ArrayList<>();
    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
      try {
        if (!restartsAt.isEmpty() && System.nanoTime() >= restartsAt.get(0)) {
          restartsAt.remove(0);
          long start = System.nanoTime();
          server.restart(300);
          restartMillis += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          count(Fault.SERVER_RESTART);
        } else {
          if (round.isEmpty()) {
            for (Fault f : Fault.values()) {
              if (f != Fault.SERVER_RESTART) {
                round.add(f);
              }
            }
            Collections.shuffle(round, random);
          }
          inject(round.remove(0));
        }
        Thread.sleep(100 + random.nextInt(201));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        errors.add(e.toString());
      }
    }
  }

  private void inject(Fault fault) throws SQLException, InterruptedException {
    switch (fault) {
      case SWALLOW_COMMIT_REPLY -> proxy.swallowCommitReplies(1 + random.nextInt(3));
      case SWALLOW_COMMIT_REPLIES_FOR_A_WHILE -> proxy.swallowCommitRepliesFor(300 + random.nextInt(301));
      case RESET_BEFORE_STATEMENT -> proxy.resetNextStatements(1 + random.nextInt(3), false);
      case RESET_AFTER_STATEMENT -> proxy.resetNextStatements(1 + random.nextInt(3), true);
      case STALL -> proxy.stall(100 + random.nextInt(401));
      case TERMINATE_BACKEND -> terminateBackends(1 + random.nextInt(2));
      case LOCK_WALLET_TABLE -> lockWalletTable(100 + random.nextInt(301));
      case TINY_STATEMENT_TIMEOUT -> pools.get(random.nextInt(pools.size())).tinyStatementTimeout(1 + random.nextInt(4));
      case SERVER_RESTART -> throw new IllegalArgumentException("restarts are scheduled, not drawn");
    }
    count(fault);
  }

  /** Terminates {@code n} of the gates' backends, drawn from those that exist now, in pid order. */
  private void terminateBackends(int n) throws SQLException {
    try (Connection admin = server.admin()) {
      List<Integer> pids = new ArrayList<>();
      try (Statement s = admin.createStatement();
          ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name LIKE "
              + "'creditgate-chaos-gate-%' ORDER BY pid")) {
        while (rs.next()) {
          pids.add(rs.getInt(1));
        }
      }
      try (PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
        for (int i = 0; i < n && !pids.isEmpty(); i++) {
          ps.setInt(1, pids.remove(random.nextInt(pids.size())));
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getBoolean(1)) {
              terminated++;
            }
          }
        }
      }
    }
  }

  /** Holds an exclusive lock on the wallet table, from outside the gates, for {@code millis}. */
  private void lockWalletTable(long millis) throws SQLException, InterruptedException {
    try (Connection admin = server.admin()) {
      admin.setAutoCommit(false);
      try (Statement s = admin.createStatement()) {
        s.execute("SET LOCAL lock_timeout = '5s'");
        s.execute("LOCK TABLE " + schema + ".creditgate_wallet IN ACCESS EXCLUSIVE MODE");
        Thread.sleep(millis); // the lock is held: every wallet read and write waits behind it
        admin.commit();
      }
    }
  }

  private void count(Fault fault) {
    injected.merge(fault, 1, Integer::sum);
  }

  /** How often each kind was injected. */
  Map<Fault, Integer> injected() {
    return injected;
  }

  /** Backends that {@code pg_terminate_backend} ended. */
  int terminated() {
    return terminated;
  }

  /** The milliseconds the restarts took, stop to accepting connections again. */
  long restartMillis() {
    return restartMillis;
  }

  /** What went wrong injecting faults (empty if every fault was injected as asked). */
  List<String> errors() {
    return errors;
  }

  long seed() {
    return seed;
  }
}
