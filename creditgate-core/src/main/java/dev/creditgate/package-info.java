/**
 * The gate and what a caller gets back from it. {@link dev.creditgate.CreditGate} is the facade,
 * asked before every action; its answers are {@link dev.creditgate.Decision} (allowed, or denied
 * with the {@link dev.creditgate.WaysOut}), {@link dev.creditgate.SeatDecision} and the records of
 * what a call did or read ({@link dev.creditgate.TopUp}, {@link dev.creditgate.HoldSettlement},
 * {@link dev.creditgate.PlanChange}, {@link dev.creditgate.WalletStatus},
 * {@link dev.creditgate.UsageReport}, ...).
 *
 * <p>The gate is immutable and thread-safe, and every answer is an immutable value. Running out of
 * credits is an answer, {@code Decision.Denied}, never an exception. Every exception creditgate
 * throws is a {@link dev.creditgate.CreditGateException}: the ones in this package reject bad
 * input before anything is written; store failures are
 * {@link dev.creditgate.spi.StoreException}s.
 */
package dev.creditgate;
