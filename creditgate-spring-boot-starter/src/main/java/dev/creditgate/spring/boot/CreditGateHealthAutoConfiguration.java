package dev.creditgate.spring.boot;

import dev.creditgate.CreditGate;
import dev.creditgate.spi.WalletStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The gate's store under Actuator's health, as the {@code creditgate} contributor
 * ({@link CreditGateHealthIndicator}), when Spring Boot's health support is on the class path;
 * {@code management.health.creditgate.enabled=false} turns it off, and a bean named
 * {@code creditGateHealthIndicator} replaces it.
 */
@AutoConfiguration(after = CreditGateAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(CreditGate.class)
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
  @ConditionalOnMissingBean(name = "creditGateHealthIndicator")
  public CreditGateHealthIndicator creditGateHealthIndicator(WalletStore store) {
    return new CreditGateHealthIndicator(store);
  }
}
