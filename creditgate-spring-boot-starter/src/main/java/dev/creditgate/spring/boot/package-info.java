/**
 * creditgate in a Spring Boot 4 service: add {@code creditgate-spring-boot-starter} and inject
 * {@link dev.creditgate.CreditGate}. {@link dev.creditgate.spring.boot.CreditGateAutoConfiguration}
 * builds it from {@link dev.creditgate.spring.boot.CreditGateProperties} ({@code creditgate.*}) on
 * PostgreSQL when the service has a {@code DataSource}, or in memory when
 * {@code creditgate.store=memory}; each of its beans gives way to one the service defines.
 * {@link dev.creditgate.spring.boot.CreditGateBuilderCustomizer} beans change anything the
 * properties do not reach, wallet events arrive as
 * {@link dev.creditgate.spring.boot.CreditGateEvent}s, and
 * {@link dev.creditgate.spring.boot.CreditGateHealthIndicator} reports the store under Actuator's
 * health.
 *
 * <p>Null-marked: nothing here accepts or returns null unless it says so.
 */
@NullMarked
package dev.creditgate.spring.boot;

import org.jspecify.annotations.NullMarked;
