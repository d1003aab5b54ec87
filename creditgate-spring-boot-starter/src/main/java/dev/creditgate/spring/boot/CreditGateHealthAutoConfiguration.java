package dev.creditgate.spring.boot;

import dev.creditgate.spi.WalletStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The store under Actuator's health, as the {@code creditgate} contributor
 * ({@link CreditGateHealthIndicator}, {@code /actuator/health/creditgate}), when Spring Boot's
 * health support is on the class path and the context has a {@link WalletStore} (the starter's or
 * the service's); {@code management.health.creditgate.enabled=false} turns it off, and a bean named
 * {@code creditgateHealthIndicator} replaces it.
 */
@AutoConfiguration(after = CreditGateAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(WalletStore.class)
@ConditionalOnEnabledHealthIndicator("creditgate")
public class CreditGateHealthAutoConfiguration {

  /** Used by Spring. */
  public CreditGateHealthAutoConfiguration() {}

  /**
   * The indicator.
   *
   * @param store the gate's store
   * @return the {@code creditgate} health contributor
   */
  @Bean
  @ConditionalOnMissingBean(name = "creditgateHealthIndicator")
  public CreditGateHealthIndicator creditgateHealthIndicator(WalletStore store) {
    return new CreditGateHealthIndicator(store);
  }
}
