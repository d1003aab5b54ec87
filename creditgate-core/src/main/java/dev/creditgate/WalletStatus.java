package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import java.time.Instant;

/**
 * What the credit balance widget and Account, Billing show: a read-only snapshot of a wallet at a
 * time, after any renewal due by then. Immutable.
 *
 * @param available what a charge may spend: subscription plus packs, less holds and debt
 * @param reference the period's reference amount the meter and warnings measure against
 * @param renewalPlan the plan from the next renewal on (differs from {@code plan} after a downgrade)
 */
public record WalletStatus(AccountId account, String plan, String renewalPlan, Credits subscription,
    Credits packs, Credits held, Credits debt, Credits available, Credits reference, Meter meter,
    Instant nextRenewal) {}
