package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.RetryPolicy;
import dev.creditgate.spi.StoreUnavailableException;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * A pool that has no connection to hand out makes each borrow wait its time-out; the gate's one
 * budget bounds the call by its deadline, however many attempts the budget would allow, so a call
 * never waits five pool time-outs (HikariCP's default is 30 s) as it did with nested retries.
 */
class PoolTimeoutTest {
  private static final String SCHEMA = "creditgate_pool_timeout";
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final Duration POOL_TIMEOUT = Duration.ofMillis(250);
  private static final Duration DEADLINE = Duration.ofSeconds(1);

  @Test
  void aPoolThatTimesOutFailsTheCallAtTheDeadlineNamingThePoolAndWritesNothing() throws Exception {
    TestDatabase db = TestDatabase.get();
    db.recreate(SCHEMA);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());  // carries the credentials
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(POOL_TIMEOUT.toMillis());
    try (HikariDataSource pool = new HikariDataSource(config)) {
      RetryPolicy budget = new RetryPolicy(64, DEADLINE);
      CreditGate gate = CreditGate.builder(TestDatabase.store(pool, SCHEMA).retryPolicy(budget).build()).build();
      AccountId maya = AccountId.of("maya");
      gate.openWallet(maya, ZoneOffset.UTC, T0);

      long start;
      StoreUnavailableException e;
      try (Connection held = pool.getConnection()) {  // the pool's only connection, busy elsewhere
        start = System.nanoTime();
        e = assertThrows(StoreUnavailableException.class,
            () -> gate.charge(maya, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0));
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertTrue(e.getMessage().contains("connection pool timed out"), e.getMessage());
      assertTrue(e.isRetrySafe());
      assertTrue(took.compareTo(DEADLINE.minus(POOL_TIMEOUT)) >= 0, "it tried while the budget allowed: " + took);
      assertTrue(took.compareTo(DEADLINE.plus(POOL_TIMEOUT).plusMillis(500)) < 0,
          "and gave up at the deadline, not after 64 pool time-outs: " + took);
      int borrows = 1 + e.getSuppressed().length;
      assertTrue(borrows <= DEADLINE.toMillis() / POOL_TIMEOUT.toMillis() + 1, "borrows: " + borrows);
      assertEquals(1, gate.retryStatistics().givenUp());
      assertEquals(borrows - 1, gate.retryStatistics().storeRetries());
      assertEquals(gate.status(maya, T0).available(), gate.status(maya, T0).balance(), "nothing held");
      assertEquals(30_000, gate.status(maya, T0).available().thousandths(), "nothing charged");
    } finally {
      db.drop(SCHEMA);
    }
  }
}
