/**
 * {@link dev.creditgate.jackson.CreditGateModule}: creditgate's answers and values as JSON with
 * Jackson 3 ({@code tools.jackson}), one documented shape per type, read back equal.
 */
package dev.creditgate.jackson;
