package dev.creditgate;

import dev.creditgate.model.Credits;
import java.util.HashMap;
import java.util.Map;

/**
 * What a wallet gave back or took back so far: refunds per charge, refunds per pack grant, and the
 * pack grants whose payment was reversed. Refunds and reversals are rare, so every map stays small;
 * a wallet that had none shares {@link #NONE} (an idle wallet costs no heap for them). Immutable.
 *
 * @param charges credits refunded per charge or capture, by its idempotency key
 * @param packs credits refunded per pack grant, by its ledger name ({@code "pack:<payment id>"});
 *     only refunds made by 0.5 or later are counted (a wallet of an earlier format reads as one
 *     with none)
 * @param reversed per reversed pack grant, by its ledger name: what the reversal took back in all
 *     (what remained of the grant plus what had been spent from it)
 */
record Returns(Map<String, Credits> charges, Map<String, Credits> packs, Map<String, Credits> reversed) {
  /** Nothing given back or taken back. */
  static final Returns NONE = new Returns(Map.of(), Map.of(), Map.of());

  Returns {
    charges = Map.copyOf(Arguments.require(charges, "charges"));
    packs = Map.copyOf(Arguments.require(packs, "packs"));
    reversed = Map.copyOf(Arguments.require(reversed, "reversed"));
  }

  /** Refunds per charge only, as every format before {@code w5} kept them. */
  static Returns ofCharges(Map<String, Credits> charges) {
    return charges.isEmpty() ? NONE : new Returns(charges, Map.of(), Map.of());
  }

  /** Whether nothing was given back or taken back. */
  boolean isNone() {
    return charges.isEmpty() && packs.isEmpty() && reversed.isEmpty();
  }

  Returns withChargeRefund(String chargeKey, Credits credits) {
    return new Returns(merged(charges, chargeKey, credits), packs, reversed);
  }

  Returns withPackRefund(String grantId, Credits credits) {
    return new Returns(charges, merged(packs, grantId, credits), reversed);
  }

  Returns withReversal(String grantId, Credits credits) {
    Map<String, Credits> next = new HashMap<>(reversed);
    next.put(grantId, credits);
    return new Returns(charges, packs, next);
  }

  private static Map<String, Credits> merged(Map<String, Credits> map, String key, Credits credits) {
    Map<String, Credits> next = new HashMap<>(map);
    next.merge(key, credits, Credits::plus);
    return next;
  }
}
