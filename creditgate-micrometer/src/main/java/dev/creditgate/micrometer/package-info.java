/**
 * The gate's metrics on Micrometer: {@link dev.creditgate.micrometer.CreditGateMetrics}, set with
 * {@code CreditGateBuilder.observer}.
 */
package dev.creditgate.micrometer;
