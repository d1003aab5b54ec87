package dev.creditgate.testkit;

import dev.creditgate.model.LedgerEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a ledger sums to, as {@link InFlightWork} and {@link WalletInvariants} compare it with the
 * model: the balance entries per grant, and the hold and release entries per hold (the open
 * holds). Sums of zero are left out, so a closed hold or a spent grant does not show.
 */
final class LedgerSums {
  private LedgerSums() {}

  /** Whether an entry of {@code kind} moves held credits (rather than the balance). */
  static boolean isHoldKind(LedgerEntry.Kind kind) {
    return kind == LedgerEntry.Kind.HOLD || kind == LedgerEntry.Kind.RELEASE;
  }

  /** The ledger's sum per grant of the balance entries (zero sums left out), by name. */
  static Map<String, Long> balanceByGrant(List<LedgerEntry> ledger) {
    Map<String, Long> sums = new HashMap<>();
    for (LedgerEntry e : ledger) {
      if (!isHoldKind(e.kind())) {
        sums.merge(e.grant(), e.amount().thousandths(), Long::sum);
      }
    }
    return nonZero(sums);
  }

  /** The ledger's sum per hold of the hold and release entries (zero sums left out): the open holds. */
  static Map<String, Long> heldByHold(List<LedgerEntry> ledger) {
    Map<String, Long> sums = new HashMap<>();
    for (LedgerEntry e : ledger) {
      if (isHoldKind(e.kind())) {
        sums.merge(e.grant(), e.amount().thousandths(), Long::sum);
      }
    }
    return nonZero(sums);
  }

  /** {@code sums} without its zero values, sorted by name. */
  static Map<String, Long> nonZero(Map<String, Long> sums) {
    Map<String, Long> result = new TreeMap<>();
    sums.forEach((k, v) -> {
      if (v != 0) {
        result.put(k, v);
      }
    });
    return result;
  }
}
