package dev.creditgate.spring.boot;

import dev.creditgate.model.AccountId;
import dev.creditgate.postgresql.JdbcWalletStore;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;

import java.util.Locale;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The gate's store under Actuator's health, as {@code creditgate}: up when the store answers a
 * read, down with the store's error when it does not. For PostgreSQL it checks that the tables
 * are there at {@link JdbcWalletStore#SCHEMA_VERSION} and reports {@code store: postgresql},
 * {@code schemaVersion} and {@code locking}; in memory it reports {@code store: memory}. Each check
 * is one read, run on the health endpoint's thread.
 */
public final class CreditGateHealthIndicator extends AbstractHealthIndicator {

  /** The account the generic check reads; it need not exist. */
  private static final AccountId PROBE = AccountId.of("creditgate-health-check");

  private final WalletStore store;

  /**
   * Checks {@code store}.
   *
   * @param store the gate's store
   */
  public CreditGateHealthIndicator(WalletStore store) {
    super("creditgate store check failed");
    this.store = store;
  }

  @Override
  protected void doHealthCheck(Health.Builder health) {
    if (store instanceof JdbcWalletStore postgresql) {
      postgresql.verifySchema();
      health.up()
          .withDetail("store", "postgresql")
          .withDetail("schemaVersion", JdbcWalletStore.SCHEMA_VERSION)
          .withDetail("locking", postgresql.locking().name().toLowerCase(Locale.ROOT));
      return;
    }
    store.load(PROBE);
    health.up().withDetail("store", store instanceof InMemoryWalletStore ? "memory" : store.getClass().getName());
  }
}
