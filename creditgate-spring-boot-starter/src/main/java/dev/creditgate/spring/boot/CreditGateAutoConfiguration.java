package dev.creditgate.spring.boot;

import dev.creditgate.CreditGate;
import dev.creditgate.CreditGateBuilder;
import dev.creditgate.jackson.CreditGateModule;
import dev.creditgate.micrometer.CreditGateMetrics;
import dev.creditgate.postgresql.JdbcWalletStore;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.GateObserver;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot's auto-configuration of creditgate; it runs after the {@code DataSource} and the
 * Micrometer registry are configured. Every bean gives way to one of its type the service
 * defines:
 * <ul>
 *   <li>a {@link WalletStore}, unless the service defines its own or its own gate:
 *       {@link JdbcWalletStore} on the service's {@link DataSource} unless
 *       {@code creditgate.store=memory}, with its schema checked at start-up, after Flyway,
 *       Liquibase or {@code spring.sql.init} have run (created or migrated only with
 *       {@code creditgate.postgresql.create-schema=true}); an
 *       {@link InMemoryWalletStore} only with {@code creditgate.store=memory}. With neither,
 *       start-up fails and says so: wallets are never kept in memory by accident;</li>
 *   <li>an {@link EventSink} publishing each wallet event as a {@link CreditGateEvent};</li>
 *   <li>{@link CreditGateMetrics} as the gate's {@link GateObserver} when Micrometer is on the
 *       class path and the context has a {@link MeterRegistry};</li>
 *   <li>{@link CreditGateModule}, which Spring Boot adds to its Jackson 3 {@code JsonMapper},
 *       when Jackson 3 is on the class path (also with
 *       {@code spring.jackson.find-and-add-modules=false});</li>
 *   <li>the {@link CreditGate}, from {@link CreditGateProperties}, the context's {@link Clock}
 *       if it has one, the observer, the sink, and then every
 *       {@link CreditGateBuilderCustomizer} in order;</li>
 *   <li>a lifecycle bean that runs the event relay and the hold sweep on one daemon thread
 *       ({@code creditgate.events.relay-interval}, {@code creditgate.holds.expiry-interval}).</li>
 * </ul>
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@EnableConfigurationProperties(CreditGateProperties.class)
public class CreditGateAutoConfiguration {

  /** Used by Spring. */
  public CreditGateAutoConfiguration() {}

  /**
   * The gate.
   *
   * @param properties the {@code creditgate.*} settings
   * @param store the wallet store
   * @param sink where events go
   * @param clock the context's clock, if it has one (two that none is primary among fail start-up)
   * @param observer the gate's observer, if the context has one (likewise)
   * @param customizers applied last, in order
   * @return the gate
   */
  @Bean
  @ConditionalOnMissingBean
  public CreditGate creditGate(CreditGateProperties properties, ObjectProvider<WalletStore> store,
      ObjectProvider<EventSink> sink, ObjectProvider<Clock> clock, ObjectProvider<GateObserver> observer,
      ObjectProvider<CreditGateBuilderCustomizer> customizers) {
    CreditGateBuilder builder = CreditGate.builder(store.getIfAvailable(() -> {
      throw noStore(properties);
    }));
    Settings.apply(properties, builder);
    sink.ifAvailable(builder::eventSink);
    clock.ifAvailable(builder::clock);
    observer.ifAvailable(builder::observer);
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  private static InvalidConfigurationPropertyValueException noStore(CreditGateProperties properties) {
    String reason = properties.store() == CreditGateProperties.Store.POSTGRESQL
        ? "the PostgreSQL store needs a DataSource bean, and the context has none"
        : "creditgate needs a store: give the service a DataSource (creditgate keeps wallets in PostgreSQL), "
            + "or set creditgate.store=memory (wallets are lost on restart), or define a WalletStore bean";
    return new InvalidConfigurationPropertyValueException("creditgate.store",
        properties.store() == null ? null : properties.store().name().toLowerCase(Locale.ROOT), reason);
  }

  /**
   * Hands each event to the application context.
   *
   * @param publisher the context
   * @return a sink publishing {@link CreditGateEvent}s
   */
  @Bean
  @ConditionalOnMissingBean
  public EventSink creditGateEventSink(ApplicationEventPublisher publisher) {
    return new ApplicationEventSink(publisher);
  }

  /**
   * Runs the event relay and the hold sweep while the context runs.
   *
   * @param gate the gate
   * @param properties their intervals
   * @return the lifecycle bean
   */
  @Bean
  @ConditionalOnMissingBean(name = "creditGateMaintenance")
  SmartLifecycle creditGateMaintenance(CreditGate gate, CreditGateProperties properties) {
    return new Maintenance(gate, properties.events(), properties.holds());
  }

  /** The store, unless the service defines one, or its own gate. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean({WalletStore.class, CreditGate.class})
  static class StoreConfiguration {

    @Bean
    @ConditionalOnProperty(name = "creditgate.store", havingValue = "memory")
    InMemoryWalletStore creditGateWalletStore(ObjectProvider<Clock> clock) {
      InMemoryWalletStore.Builder builder = InMemoryWalletStore.builder();
      clock.ifAvailable(builder::clock);
      return builder.build();
    }

    @Bean
    @ConditionalOnBean(DataSource.class)
    @DependsOnDatabaseInitialization
    @ConditionalOnProperty(name = "creditgate.store", havingValue = "postgresql", matchIfMissing = true)
    JdbcWalletStore creditGatePostgreSqlStore(DataSource dataSource, CreditGateProperties properties) {
      JdbcWalletStore store = Settings.postgresqlStore(properties.postgresql(), dataSource);
      if (properties.postgresql().createSchema()) {
        store.createSchema();
      } else {
        store.verifySchema();
      }
      return store;
    }
  }

  /** Metrics, when Micrometer is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  @ConditionalOnBean(MeterRegistry.class)
  static class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean(GateObserver.class)
    CreditGateMetrics creditGateMetrics(MeterRegistry registry) {
      return new CreditGateMetrics(registry);
    }
  }

  /** creditgate's JSON shapes, when Jackson 3 is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "tools.jackson.databind.JacksonModule")
  static class JacksonConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CreditGateModule creditGateJacksonModule() {
      return new CreditGateModule();
    }
  }
}
