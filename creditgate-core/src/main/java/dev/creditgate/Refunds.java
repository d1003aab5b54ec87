package dev.creditgate;

import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.util.Optional;

/**
 * Credits given back or corrected by hand: pack and charge refunds, adjustments. Pure: each
 * returns the wallet after the change as a {@link Transition}.
 */
final class Refunds {
  private Refunds() {}

  /**
   * Gives back {@code credits} of a pack purchase, taken from what remains of the grant and never
   * from credits open holds reserve.
   *
   * @throws InvalidRequestException if the amount is not positive or exceeds what remains of the
   *     grant or what is available
   */
  static Transition refundPack(Wallet w, String grantId, Credits credits, String key, Instant at) {
    Credits remaining = Credits.ZERO;
    for (PackGrant grant : w.packs()) {
      if (grant.id().equals(grantId)) {
        remaining = grant.remaining();
      }
    }
    if (!credits.isPositive() || credits.compareTo(remaining) > 0) {
      throw new InvalidRequestException("refund of " + credits + " from grant '" + grantId
          + "' must be positive and at most what remains of it (" + remaining + ")");
    }
    // Only the common credits back holds: a scoped promotion's credits cannot stand in for them.
    if (credits.compareTo(w.commonAvailable()) > 0) {
      throw new InvalidRequestException("refund of " + credits + " from grant '" + grantId
          + "' would take credits open holds reserve: only " + w.commonAvailable() + " are available");
    }
    Draft draft = new Draft(w, at, key);
    draft.takeFromPack(grantId, credits, LedgerEntry.Kind.REFUND, "");
    draft.refunded = draft.refunded.withPackRefund(grantId, credits);
    return draft.done();
  }

  /**
   * Reverses the pack grant {@code grantId}, bought for {@code bought} credits (the top-up's
   * recorded credits, when its record is still kept): what remains of it is taken back, even the
   * credits open holds reserve (the holds are then cut back), and what was spent from it (granted
   * less refunded less remaining) becomes debt (see {@link Draft#reversePack}).
   *
   * @throws InvalidRequestException naming the payment id if the grant was reversed already, or
   *     if the wallet neither holds it nor is its top-up's record kept
   */
  static Transition reversePack(Wallet w, String grantId, String paymentId, Optional<Credits> bought, String key,
      Instant at, WalletRules rules) {
    if (w.refunded().reversed().containsKey(grantId)) {
      throw new InvalidRequestException("paymentId", paymentId, "the pack bought with payment '" + paymentId
          + "' was already reversed in " + w.account());
    }
    PackGrant grant = null;
    for (PackGrant p : w.packs()) {
      if (p.id().equals(grantId)) {
        grant = p;
      }
    }
    Credits remaining = grant == null ? Credits.ZERO : grant.remaining();
    Credits granted = grant != null ? grant.granted() : bought.orElseThrow(() -> new InvalidRequestException(
        "paymentId", paymentId, "no pack bought with payment '" + paymentId + "' is known to " + w.account()
            + " (never topped up, or spent out and its top-up's record no longer kept)"));
    Credits refundedSoFar = w.refunded().packs().getOrDefault(grantId, Credits.ZERO);
    // A pack refunded before 0.5 counted no refunds: what it owes is then never less than spent.
    Credits spent = granted.minus(refundedSoFar).minus(remaining).max(Credits.ZERO);
    Draft draft = new Draft(w, at, key);
    draft.reversePack(grantId, remaining, spent, rules);
    return draft.done();
  }

  /**
   * Takes back {@code credits} of the promotional grant {@code grantId} (a {@code REFUND} entry
   * naming it): at most what remains of it, and for a grant of every operation never the credits
   * open holds reserve.
   *
   * @throws InvalidRequestException if the amount is not positive or exceeds what remains of the
   *     grant (nothing, once it expired or was spent) or, for a common grant, what is available
   */
  static Transition revokePromotion(Wallet w, String grantId, Credits credits, String key, Instant at) {
    Credits remaining = w.promotion(grantId).map(PromotionGrant::remaining).orElse(Credits.ZERO);
    if (!credits.isPositive() || credits.compareTo(remaining) > 0) {
      throw new InvalidRequestException("revocation of " + credits + " from promotion '" + grantId
          + "' must be positive and at most what remains of it (" + remaining + ")");
    }
    boolean scoped = w.promotion(grantId).get().isScoped();
    if (!scoped && credits.compareTo(w.commonAvailable()) > 0) {
      throw new InvalidRequestException("revocation of " + credits + " from promotion '" + grantId
          + "' would take credits open holds reserve: only " + w.commonAvailable() + " are available");
    }
    Draft draft = new Draft(w, at, key);
    draft.takeFromPromotion(grantId, credits);
    return draft.done();
  }

  /**
   * Gives back {@code credits} of the charge made with {@code chargeKey}, which cost
   * {@code charged}, as a grant of its own ({@code "refund:<key>"}) that never expires.
   *
   * @throws InvalidRequestException if the amount is not positive or exceeds what is left of the
   *     charge after earlier refunds
   */
  static Transition refundCharge(Wallet w, String chargeKey, Credits charged, Operation operation, Credits credits,
      String key, Instant at, WalletRules rules) {
    Credits left = charged.minus(w.refunded().charges().getOrDefault(chargeKey, Credits.ZERO));
    if (!credits.isPositive() || credits.compareTo(left) > 0) {
      throw new InvalidRequestException("refund of " + credits + " for charge '" + chargeKey
          + "' must be positive and at most what is left of it (" + left + " of " + charged + ")");
    }
    Draft draft = new Draft(w, at, key);
    draft.credit("refund:" + key, "refund", credits, LedgerEntry.Kind.REFUND, operation.id(), rules);
    draft.refunded = draft.refunded.withChargeRefund(chargeKey, credits);
    return draft.done();
  }

  /**
   * A correction by the host: a positive {@code delta} adds a never-expiring grant
   * ({@code "adjustment:<key>"}); a negative one takes credits in the spend order, at most what is
   * available.
   *
   * @throws InvalidRequestException if the delta is zero or takes more than is available
   */
  static Transition adjust(Wallet w, Credits delta, String reason, String key, Instant at, WalletRules rules) {
    if (delta.isZero()) {
      throw new InvalidRequestException("adjustment must not be zero");
    }
    Draft draft = new Draft(w, at, key);
    if (delta.isPositive()) {
      draft.credit("adjustment:" + key, "adjustment", delta, LedgerEntry.Kind.ADJUSTMENT, reason, rules);
    } else {
      Credits taken = delta.negate();
      if (taken.compareTo(w.available()) > 0) {
        throw new InvalidRequestException("adjustment of " + delta + " takes more than the "
            + w.available() + " credits available");
      }
      draft.spendAny(LedgerEntry.Kind.ADJUSTMENT, reason, taken, rules);
      draft.raiseWarnings(rules);
    }
    return draft.done();
  }}
