package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import java.util.Map;

/**
 * The result of replaying an account's ledger against its stored wallet. Immutable.
 *
 * @param account the account whose ledger was replayed
 * @param entries how many ledger entries were read
 * @param ledgerBalance the sum of the balance-affecting entries
 * @param walletBalance the stored wallet's balance
 * @param ledgerHeld the sum of the hold and release entries
 * @param walletHeld the stored wallet's held credits
 * @param differences per grant or hold whose entries do not sum to what the wallet holds for it:
 *     the ledger's sum minus the wallet's; empty when consistent
 */
public record LedgerReplay(AccountId account, long entries, Credits ledgerBalance, Credits walletBalance,
    Credits ledgerHeld, Credits walletHeld, Map<String, Credits> differences) {

  /**
   * Copies {@code differences}, so the result stays immutable.
   *
   * @param account the account whose ledger was replayed
   * @param entries how many ledger entries were read
   * @param ledgerBalance the sum of the balance-affecting entries
   * @param walletBalance the stored wallet's balance
   * @param ledgerHeld the sum of the hold and release entries
   * @param walletHeld the stored wallet's held credits
   * @param differences the ledger's sum minus the wallet's, per grant or hold that differs
   */
  public LedgerReplay {
    differences = Map.copyOf(Arguments.require(differences, "differences"));
  }

  /**
   * Whether the ledger sums to the wallet, in total and grant by grant.
   *
   * @return {@code true} if both totals match and no grant or hold differs
   */
  public boolean isConsistent() {
    return differences.isEmpty() && ledgerBalance.equals(walletBalance) && ledgerHeld.equals(walletHeld);
  }
}
