package dev.creditgate.widget;

import dev.creditgate.CreditGate;
import dev.creditgate.jackson.CreditGateModule;
import dev.creditgate.postgresql.JdbcWalletStore;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * TEMPORARY, until {@code creditgate-spring-boot-starter} is on main: the gate the starter will
 * provide (PostgreSQL from the DataSource, schema created with
 * {@code creditgate.postgresql.create-schema=true}; in memory with {@code creditgate.store=memory}),
 * and creditgate's JSON shapes for Spring MVC. Delete this file once the widget depends on the
 * starter.
 */
@Configuration(proxyBeanMethods = false)
class TemporaryGateConfiguration {

  @Bean
  WalletStore walletStore(Environment environment, ObjectProvider<DataSource> dataSource) {
    if ("memory".equalsIgnoreCase(environment.getProperty("creditgate.store"))) {
      return InMemoryWalletStore.create();
    }
    DataSource database = dataSource.getIfAvailable();
    if (database == null) {
      throw new IllegalStateException("no DataSource for the wallets; set creditgate.store=memory to keep them in memory");
    }
    JdbcWalletStore store = JdbcWalletStore.builder(database).build();
    if (environment.getProperty("creditgate.postgresql.create-schema", Boolean.class, false)) {
      store.createSchema();
    }
    store.verifySchema();
    return store;
  }

  @Bean
  CreditGate creditGate(WalletStore store) {
    return CreditGate.builder(store).build();
  }

  @Bean
  CreditGateModule creditGateModule() {
    return new CreditGateModule();
  }
}
