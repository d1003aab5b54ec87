package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;
import java.time.Duration;
import java.util.Optional;

/**
 * An account's auto top-up rule: when a spend leaves the available credits at or under
 * {@code threshold}, the gate records one top-up request (buy {@code pack}, or restore
 * {@code targetBalance} with a Custom pack), within a limit per billing period in money and in
 * count; after {@code declineLimit} declines in a row it switches itself off, and it never asks
 * again sooner than {@code backoff} after a decline. Immutable; made with {@link #withPack} or
 * {@link #toBalance} and refined with {@link #withDeclineLimit} and {@link #withBackoff}.
 *
 * <pre>{@code
 * gate.setAutoTopUp(maya, Optional.of(AutoTopUp.withPack("medium", Credits.of(10), Money.usd("60.00"), 3)),
 *     IdempotencyKey.of("auto-top-up:maya:1"), now);
 * }</pre>
 *
 * @param threshold the available credits at or under which a spend requests a top-up: zero or more
 * @param pack the id of the catalog's pack to buy; empty when {@code targetBalance} is set
 * @param targetBalance the available credits to restore with a Custom pack, above
 *     {@code threshold}; empty when {@code pack} is set
 * @param monthlyLimit the most the requests of one billing period may cost together (declined ones
 *     not counted), in the currency of the pack's price or the custom pack terms
 * @param monthlyCount the most requests one billing period may make (declined ones not counted):
 *     1 to {@value #MAX_MONTHLY_COUNT}
 * @param declineLimit after this many declines in a row auto top-up switches itself off: 1 to
 *     {@value #MAX_DECLINE_LIMIT}; {@value #DEFAULT_DECLINE_LIMIT} unless set
 * @param backoff no request is made sooner than this after a decline: positive, at most
 *     {@link #MAX_BACKOFF}; {@link #DEFAULT_BACKOFF} unless set
 */
public record AutoTopUp(Credits threshold, Optional<String> pack, Optional<Credits> targetBalance,
    Money monthlyLimit, int monthlyCount, int declineLimit, Duration backoff) {

  /** The most requests a billing period may allow. */
  public static final int MAX_MONTHLY_COUNT = 1_000;
  /** The most declines in a row a rule may allow before it switches off. */
  public static final int MAX_DECLINE_LIMIT = 100;
  /** The decline limit of a rule made by {@link #withPack} or {@link #toBalance}. */
  public static final int DEFAULT_DECLINE_LIMIT = 3;
  /**
   * The back-off of a rule made by {@link #withPack} or {@link #toBalance}: two days, so that even
   * a rule that never switches off retries a declined card at most 15 times in 30 days, the card
   * networks' cap.
   */
  public static final Duration DEFAULT_BACKOFF = Duration.ofDays(2);
  /** The longest back-off. */
  public static final Duration MAX_BACKOFF = Duration.ofDays(366);

  /**
   * Why a request was refused: the limit that was reached.
   */
  public enum Limit {
    /** The period's requests already number {@link AutoTopUp#monthlyCount()}. */
    COUNT,
    /** One more request would cost more than {@link AutoTopUp#monthlyLimit()} in the period. */
    AMOUNT
  }

  /**
   * Checks every component.
   *
   * @param threshold zero or more
   * @param pack a pack id, or empty when {@code targetBalance} is set
   * @param targetBalance above {@code threshold}, or empty when {@code pack} is set
   * @param monthlyLimit the money limit per billing period
   * @param monthlyCount 1 to {@value #MAX_MONTHLY_COUNT}
   * @param declineLimit 1 to {@value #MAX_DECLINE_LIMIT}
   * @param backoff positive, at most {@link #MAX_BACKOFF}
   * @throws InvalidRequestException naming the component that is null, negative, out of range, or
   *     both or neither of {@code pack} and {@code targetBalance}
   */
  public AutoTopUp {
    Checks.nonNull(threshold, "threshold");
    if (threshold.isNegative()) {
      throw new InvalidRequestException("threshold", threshold.toString(),
          "auto top-up threshold must not be negative but was " + threshold);
    }
    Checks.nonNull(pack, "pack");
    Checks.nonNull(targetBalance, "targetBalance");
    if (pack.isPresent() == targetBalance.isPresent()) {
      throw new InvalidRequestException("pack", pack.orElse(""),
          "auto top-up names either a pack or a target balance, but " + (pack.isPresent() ? "named both" : "named neither"));
    }
    pack.ifPresent(id -> Checks.text(id, "pack", 200));
    if (targetBalance.isPresent() && targetBalance.get().compareTo(threshold) <= 0) {
      throw new InvalidRequestException("targetBalance", targetBalance.get().toString(),
          "auto top-up target balance must be above the threshold " + threshold + " but was " + targetBalance.get());
    }
    Checks.nonNull(monthlyLimit, "monthlyLimit");
    if (monthlyCount < 1 || monthlyCount > MAX_MONTHLY_COUNT) {
      throw new InvalidRequestException("monthlyCount", Integer.toString(monthlyCount),
          "auto top-up monthly count must be in 1.." + MAX_MONTHLY_COUNT + " but was " + monthlyCount);
    }
    if (declineLimit < 1 || declineLimit > MAX_DECLINE_LIMIT) {
      throw new InvalidRequestException("declineLimit", Integer.toString(declineLimit),
          "auto top-up decline limit must be in 1.." + MAX_DECLINE_LIMIT + " but was " + declineLimit);
    }
    Checks.nonNull(backoff, "backoff");
    if (backoff.isNegative() || backoff.isZero() || backoff.compareTo(MAX_BACKOFF) > 0) {
      throw new InvalidRequestException("backoff", backoff.toString(),
          "auto top-up back-off must be positive and at most " + MAX_BACKOFF + " but was " + backoff);
    }
  }

  /**
   * Buys {@code packId} when a spend leaves the available credits at or under {@code threshold},
   * with the default decline limit and back-off.
   *
   * @param packId the id of a pack of the gate's catalog (checked when the rule is set)
   * @param threshold zero or more
   * @param monthlyLimit the most a billing period's requests may cost together
   * @param monthlyCount the most requests a billing period may make, 1 to {@value #MAX_MONTHLY_COUNT}
   * @return the rule
   * @throws InvalidRequestException naming the argument that is null or out of range
   */
  public static AutoTopUp withPack(String packId, Credits threshold, Money monthlyLimit, int monthlyCount) {
    return new AutoTopUp(threshold, Optional.of(Checks.nonNull(packId, "pack")), Optional.empty(), monthlyLimit,
        monthlyCount, DEFAULT_DECLINE_LIMIT, DEFAULT_BACKOFF);
  }

  /**
   * Restores {@code targetBalance} with a Custom pack (the cheapest price that buys the difference,
   * within the custom pack terms' bounds) when a spend leaves the available credits at or under
   * {@code threshold}, as OpenAI's auto recharge does; with the default decline limit and back-off.
   *
   * @param targetBalance the available credits to restore, above {@code threshold}
   * @param threshold zero or more
   * @param monthlyLimit the most a billing period's requests may cost together
   * @param monthlyCount the most requests a billing period may make, 1 to {@value #MAX_MONTHLY_COUNT}
   * @return the rule
   * @throws InvalidRequestException naming the argument that is null or out of range
   */
  public static AutoTopUp toBalance(Credits targetBalance, Credits threshold, Money monthlyLimit, int monthlyCount) {
    return new AutoTopUp(threshold, Optional.empty(), Optional.of(Checks.nonNull(targetBalance, "targetBalance")),
        monthlyLimit, monthlyCount, DEFAULT_DECLINE_LIMIT, DEFAULT_BACKOFF);
  }

  /**
   * This rule with another decline limit.
   *
   * @param declineLimit 1 to {@value #MAX_DECLINE_LIMIT}
   * @return the rule switching off after that many declines in a row
   * @throws InvalidRequestException if it is out of range
   */
  public AutoTopUp withDeclineLimit(int declineLimit) {
    return new AutoTopUp(threshold, pack, targetBalance, monthlyLimit, monthlyCount, declineLimit, backoff);
  }

  /**
   * This rule with another back-off.
   *
   * @param backoff positive, at most {@link #MAX_BACKOFF}
   * @return the rule waiting that long after a decline
   * @throws InvalidRequestException if it is null or out of range
   */
  public AutoTopUp withBackoff(Duration backoff) {
    return new AutoTopUp(threshold, pack, targetBalance, monthlyLimit, monthlyCount, declineLimit, backoff);
  }
}
