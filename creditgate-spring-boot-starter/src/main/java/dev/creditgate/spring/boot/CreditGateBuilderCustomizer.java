package dev.creditgate.spring.boot;

import dev.creditgate.CreditGateBuilder;

/**
 * Changes the gate's builder after the {@code creditgate.*} properties are applied, for what they
 * do not reach (an outcome policy, a spend order computed at start-up, a second observer): define
 * one as a bean. Customizers run in their {@link org.springframework.core.Ordered order}, each
 * once, when the gate is built; what the last one sets wins. Not used when the service defines
 * its own {@link dev.creditgate.CreditGate} bean.
 */
@FunctionalInterface
public interface CreditGateBuilderCustomizer {

  /**
   * Changes the builder.
   *
   * @param builder the builder the gate is about to be built from, with the properties applied;
   *     a setter given a bad value throws {@link dev.creditgate.InvalidRequestException} and the
   *     service does not start
   */
  void customize(CreditGateBuilder builder);
}
