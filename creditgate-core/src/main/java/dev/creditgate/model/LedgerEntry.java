package dev.creditgate.model;

import java.time.Instant;

/**
 * One immutable line of a wallet's append-only ledger.
 *
 * <p>Conservation: for every wallet, the sum of {@code amount} over the entries whose
 * {@link Kind#affectsBalance() kind affects the balance} equals the wallet's balance, and the
 * sum over {@link Kind#HOLD} and {@link Kind#RELEASE} entries equals its held credits (what
 * {@link dev.creditgate.CreditGate#replay} checks, and
 * {@link dev.creditgate.WalletStatus#balance()} and {@link dev.creditgate.WalletStatus#held()}
 * report). Per grant, the balance entries naming it
 * sum to what remains of it ({@code "subscription"}: the subscription credits;
 * {@code "pack:<id>"}: the pack grant; {@code "overdraft"}: minus the debt).
 *
 * @param account the wallet's account (for a team, the team's, whichever member spent)
 * @param at when the change took effect on the wallet's time line: the call's time, or for what a
 *     renewal or a hold's expiry did, the renewal's or the expiry's scheduled time
 * @param kind what the entry records
 * @param grant the grant or hold the entry touched: {@link #SUBSCRIPTION}, {@link #OVERDRAFT},
 *     {@code "pack:"} and the payment id, {@code "refund:"} or {@code "adjustment:"} and the
 *     call's key for credits given back or added by the host, or a hold's id (its reserve key)
 * @param amount signed: positive adds to the grant (or to the held total), negative takes away
 * @param operation the operation charged or reserved, or {@code ""}; for an adjustment the host's
 *     reason, for a debt repaid from a grant {@code "repay-overdraft"}, for a reversal's entries
 *     {@code "reversal"}, and for the entries an
 *     {@link dev.creditgate.store.memory.InMemoryWalletStore} folded
 *     {@link dev.creditgate.store.memory.InMemoryWalletStore#CARRIED_FORWARD}
 * @param key the idempotency key of the call that wrote the entry, or {@code ""}
 */
public record LedgerEntry(AccountId account, Instant at, Kind kind, String grant, Credits amount,
    String operation, String key) {

  /** Ledger name of the subscription credits. */
  public static final String SUBSCRIPTION = "subscription";
  /** Ledger name of the debt an overdraft leaves; its entries sum to minus the debt. */
  public static final String OVERDRAFT = "overdraft";

  /**
   * Checks that no component is null. The gate and the stores make entries; a caller reads them.
   *
   * @param account the wallet's account
   * @param at when the change took effect
   * @param kind what the entry records
   * @param grant the grant or hold touched
   * @param amount the signed amount
   * @param operation the operation charged, or {@code ""}
   * @param key the idempotency key of the call, or {@code ""}
   * @throws dev.creditgate.InvalidRequestException naming the first component that is null
   */
  public LedgerEntry {
    Checks.nonNull(account, "account");
    Checks.nonNull(at, "at");
    Checks.nonNull(kind, "kind");
    Checks.nonNull(grant, "grant");
    Checks.nonNull(amount, "amount");
    Checks.nonNull(operation, "operation");
    Checks.nonNull(key, "key");
  }

  /** The closed set of ledger entry kinds. */
  public enum Kind {
    /** Credits added: a subscription allowance or a pack purchase. */
    GRANT,
    /** Credits spent by a charge. */
    DEBIT,
    /** Credits reserved for work in flight (adds to the held total, not to the balance). */
    HOLD,
    /** Credits spent by capturing a hold. */
    CAPTURE,
    /** A hold closed: captured, released or expired (takes from the held total). */
    RELEASE,
    /** Unused subscription credits that lapsed at a renewal or an upgrade. */
    EXPIRY,
    /** Credits given back: a refunded charge (positive) or a refunded pack purchase (negative). */
    REFUND,
    /** A correction, or a debt repaid from a new grant (a pair that sums to zero). */
    ADJUSTMENT,
    /**
     * Credits taken back by a payment reversal (negative): what remained of the reversed pack
     * grant, and on {@link #OVERDRAFT} what had been spent from it, now owed.
     */
    REVERSAL;

    /**
     * Whether entries of this kind change the balance (all but {@link #HOLD} and
     * {@link #RELEASE}).
     *
     * @return {@code true} if the entry's amount counts towards the balance, {@code false} if it
     *     counts towards the held total
     */
    public boolean affectsBalance() {
      return this != HOLD && this != RELEASE;
    }
  }
}
