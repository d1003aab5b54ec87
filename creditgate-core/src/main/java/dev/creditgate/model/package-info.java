/**
 * The values a caller passes to the gate and reads back: ids
 * ({@link dev.creditgate.model.AccountId}, {@link dev.creditgate.model.IdempotencyKey},
 * {@link dev.creditgate.model.Operation}), amounts ({@link dev.creditgate.model.Credits},
 * {@link dev.creditgate.model.Money}), the catalog with its plans and packs, the cost table and
 * the policies, and the ledger entries and events of a wallet (the wallet itself stays inside the
 * gate; {@link dev.creditgate.WalletStatus} is its snapshot).
 *
 * <p>Every public type here but the builders is immutable and thread-safe. Ids, amounts, plans,
 * packs and policies check their arguments when made
 * ({@link dev.creditgate.InvalidRequestException} names the bad one); amounts are exact and never
 * wrap (a result out of range throws {@link dev.creditgate.CreditOverflowException}). Nothing here
 * reads a clock or a store: times are arguments, and the only I/O is
 * {@link dev.creditgate.model.CostTable#fromProperties} reading the {@code Reader} it is given.
 */
package dev.creditgate.model;
