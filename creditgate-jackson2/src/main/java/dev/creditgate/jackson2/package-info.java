/**
 * {@link dev.creditgate.jackson2.CreditGateModule}: creditgate's answers and values as JSON with
 * Jackson 2 ({@code com.fasterxml.jackson}), one documented shape per type, read back equal.
 */
package dev.creditgate.jackson2;
