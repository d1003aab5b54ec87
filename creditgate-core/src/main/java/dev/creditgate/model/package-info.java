/**
 * The values a caller passes to the gate and reads back: ids ({@link dev.creditgate.model.AccountId},
 * {@link dev.creditgate.model.IdempotencyKey}, {@link dev.creditgate.model.Operation}), amounts
 * ({@link dev.creditgate.model.Credits}, {@link dev.creditgate.model.Money}), the catalog with its
 * plans and packs, the cost table and the policies, and the wallet with its ledger entries and
 * events.
 *
 * <p>Every public type here is immutable and thread-safe. Ids, amounts, plans, packs and policies
 * check their arguments when made ({@link dev.creditgate.InvalidRequestException} names the bad
 * one); amounts are exact and never wrap. {@link dev.creditgate.model.Wallet}'s changes are pure
 * transitions: no I/O, no clock.
 */
package dev.creditgate.model;
