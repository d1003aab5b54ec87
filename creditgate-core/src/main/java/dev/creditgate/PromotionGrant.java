package dev.creditgate;

import dev.creditgate.model.Credits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * One promotional grant in a wallet: what it granted, what remains of it, when it expires, the
 * operations it may pay for and its priority. {@code id} names it in the ledger
 * ({@code "promo:<key>"}). Immutable.
 *
 * @param scope the ids of the operations it may pay for, sorted; empty for every operation
 * @param expiryWarned whether the warning that it expires soon was published
 */
record PromotionGrant(String id, String reason, Credits granted, Credits remaining, Instant grantedAt,
    Instant expiresAt, int priority, List<String> scope, boolean expiryWarned) {

  /** The spend order among promotions: priority (0 first), then the soonest expiry, then the oldest. */
  static final Comparator<PromotionGrant> SPEND_ORDER = Comparator.comparingInt(PromotionGrant::priority)
      .thenComparing(PromotionGrant::expiresAt).thenComparing(PromotionGrant::grantedAt)
      .thenComparing(PromotionGrant::id);

  PromotionGrant {
    Arguments.require(id, "grant id");
    Arguments.require(reason, "reason");
    Arguments.require(granted, "granted");
    Arguments.require(remaining, "remaining");
    Arguments.require(grantedAt, "grantedAt");
    Arguments.require(expiresAt, "expiresAt");
    if (!remaining.isPositive() || remaining.compareTo(granted) > 0) {
      throw new InvalidRequestException("promotion '" + id + "' remaining " + remaining + " is outside (0, "
          + granted + "]");
    }
    if (priority < 0 || priority > 100) {
      throw new InvalidRequestException("promotion '" + id + "' priority " + priority + " is outside 0..100");
    }
    List<String> sorted = new ArrayList<>(Arguments.require(scope, "scope"));
    Collections.sort(sorted);
    scope = List.copyOf(sorted);
  }

  /** Whether it may pay for the operation {@code operationId}. */
  boolean covers(String operationId) {
    return scope.isEmpty() || Collections.binarySearch(scope, operationId) >= 0;
  }

  /** Whether it pays for some operations only. */
  boolean isScoped() {
    return !scope.isEmpty();
  }

  PromotionGrant withRemaining(Credits newRemaining) {
    return new PromotionGrant(id, reason, granted, newRemaining, grantedAt, expiresAt, priority, scope, expiryWarned);
  }

  PromotionGrant warned() {
    return new PromotionGrant(id, reason, granted, remaining, grantedAt, expiresAt, priority, scope, true);
  }
}
