package dev.creditgate.testkit;

import dev.creditgate.model.Outcome;
import java.util.List;

/**
 * The model's arithmetic of prices and costs: the default catalogue (plans, packs, custom top-ups),
 * the default cost table and the default outcome policy, written out in thousandths of a credit
 * and shared with nothing of the gate's. {@link GateModel}'s static methods document each rule.
 */
final class Prices {

  /** The ids of the plans, in rank order: a change to a higher rank is an upgrade. */
  private static final List<String> PLANS = List.of("free", "pro", "team");

  private Prices() {}

  /** See {@link GateModel#allowance}. */
  static long allowance(String plan) {
    switch (plan) {
      case "free": return 30_000;
      case "pro": return 150_000;
      case "team": return 300_000;
      default: throw new IllegalArgumentException("no plan " + plan);
    }
  }

  /**
   * The most unused subscription credits of a period on {@code plan} that roll into the next, in
   * thousandths (the chains' catalog, {@link InFlightWork#CATALOG}): free up to 20 credits, pro up
   * to 25% of its allowance, team none.
   */
  static long rolloverCap(String plan) {
    switch (plan) {
      case "free": return 20_000;
      case "pro": return allowance("pro") * 25 / 100;
      case "team": return 0;
      default: throw new IllegalArgumentException("no plan " + plan);
    }
  }

  /** See {@link GateModel#packCredits}. */
  static long packCredits(String pack) {
    switch (pack) {
      case "small": return 100_000;
      case "medium": return 250_000;
      case "large": return 1_000_000;
      default: throw new IllegalArgumentException("no pack " + pack);
    }
  }

  /** See {@link GateModel#customPackCredits}. */
  static long customPackCredits(long cents) {
    return cents < 500 || cents > 100_000 ? -1 : cents * 100;
  }

  /** See {@link GateModel#cost}. */
  static long cost(String operation, long quantity) {
    switch (operation) {
      case GateCall.AI_CHAT_MESSAGE: return 100 + ceilDiv(100 * quantity, 1000);
      case GateCall.PLAN_MODE_MESSAGE: return 50 + ceilDiv(50 * quantity, 1000);
      case GateCall.GENERATE_IMAGE: return quantity >= 1 ? 2_000 * quantity : -1;
      case GateCall.CONNECT_INTEGRATION: return quantity >= 1 ? 5_000 * quantity : -1;
      default: throw new IllegalArgumentException("no operation " + operation);
    }
  }

  /** See {@link GateModel#isFixedPrice}. */
  static boolean isFixedPrice(String operation) {
    return operation.equals(GateCall.GENERATE_IMAGE) || operation.equals(GateCall.CONNECT_INTEGRATION);
  }

  /** See {@link GateModel#policyCharge}. */
  static long policyCharge(Outcome.Kind kind, long metered) {
    if (metered <= 0) {
      return 0;
    }
    long share;
    switch (kind) {
      case SUCCEEDED: share = 100; break;
      case FAILED_AT_MODEL: share = 50; break;
      case PLATFORM_ERROR: share = 25; break;
      case RETRY: share = 50; break;
      default: throw new IllegalArgumentException("no outcome " + kind);
    }
    return Math.max(1, ceilDiv(metered * Math.max(share, 10), 100));
  }

  /** A plan's rank: a change to a higher one is an upgrade. */
  static int rank(String plan) {
    return PLANS.indexOf(plan);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
