package dev.creditgate;

import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;

/**
 * A refund or an adjustment, as recorded. Immutable.
 *
 * @param grant the grant it touched: the refunded pack's {@code "pack:<payment id>"}, or the new
 *     grant a charge refund or a positive adjustment created; {@code ""} for a negative
 *     adjustment
 * @param amount signed: positive when credits were given, negative when taken
 * @param balanceAfter the available credits after the change
 * @param meter the meter after the change
 */
public record BalanceChange(String grant, Credits amount, Credits balanceAfter, Meter meter) {}
