package dev.creditgate;

import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;

/**
 * A completed top-up: the pack grant added (at once) and the available credits after it.
 * Immutable.
 *
 * @param grant the grant's ledger name, {@code "pack:<payment id>"}
 * @param pack the pack's id, or {@code "custom"}
 * @param credits the credits bought, all granted at once (any debt is repaid from them first)
 * @param balanceAfter the available credits after the top-up
 * @param meter the meter after the top-up
 */
public record TopUp(String grant, String pack, Credits credits, Credits balanceAfter, Meter meter) {}
