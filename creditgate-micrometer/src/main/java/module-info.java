/**
 * creditgate on Micrometer: {@link dev.creditgate.micrometer.CreditGateMetrics}, a
 * {@code GateObserver} that counts the gate's decisions, credits, thresholds, holds, call times and
 * retries in a {@code MeterRegistry}.
 *
 * <p>Null-marked, like {@code dev.creditgate}; the JSpecify annotations are compile-only.
 */
@org.jspecify.annotations.NullMarked
module dev.creditgate.micrometer {
  requires transitive dev.creditgate;
  requires transitive micrometer.core;
  requires static org.jspecify;

  exports dev.creditgate.micrometer;
}
