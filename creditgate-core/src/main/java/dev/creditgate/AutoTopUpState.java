package dev.creditgate;

import dev.creditgate.model.AutoTopUp;
import dev.creditgate.model.Money;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a wallet keeps of its auto top-up once a rule was first set (a wallet that never set one
 * keeps nothing: its field is null). Immutable.
 *
 * @param rule the latest rule set (kept while off, for the currency of the counters)
 * @param on whether the rule is in force
 * @param periodStart the start of the billing period {@code requests} and {@code requested} count
 * @param requests the requests made in that period, declined ones not counted
 * @param requested what they cost together, in the rule's currency
 * @param made the requests ever made: the last request id's number, so ids never repeat
 * @param open the open request, or null
 * @param openCounted whether the open request counts in {@code requests} and {@code requested}:
 *     true from its making until a new period starts the counters afresh (a request made at the
 *     instant an upgrade restarts the period belongs to the period before)
 * @param declines the declines since the last confirmed request
 * @param retryNotBefore the end of the back-off after the latest decline, or null
 * @param refusal the latest refusal, or null
 * @param refusedThisCrossing whether a refusal was recorded since the available credits last went
 *     at or under the threshold (refusals are recorded once per crossing)
 * @param decline the latest decline, or null
 * @param switchedOff whether it switched itself off after the decline limit
 */
record AutoTopUpState(AutoTopUp rule, boolean on, Instant periodStart, int requests, Money requested, long made,
    AutoTopUpStatus.OpenRequest open, boolean openCounted, int declines, Instant retryNotBefore, AutoTopUpStatus.Refusal refusal,
    boolean refusedThisCrossing, AutoTopUpStatus.Decline decline, boolean switchedOff) {

  /** The request ids' prefix, before the account, the request's number and its time. */
  static final String ID_PREFIX = "autotopup:";
  /**
   * The longest account id whose wallet may set a rule: its request ids
   * ({@code autotopup:<account>:<n>:<t>}, at most 46 characters besides the account) must fit an
   * idempotency key.
   */
  static final int MAX_ACCOUNT_LENGTH = 154;
  /** What follows the account in a request id: its number, and the epoch milliseconds it was made at. */
  private static final Pattern NUMBER_AND_TIME = Pattern.compile("([1-9][0-9]{0,18}):-?(?:0|[1-9][0-9]{0,14})");

  AutoTopUpState {
    Arguments.require(rule, "rule");
    Arguments.require(periodStart, "periodStart");
    Arguments.require(requested, "requested");
    Arguments.requireNonNegative(requests, "requests");
    Arguments.requireNonNegative(made, "made");
    Arguments.requireNonNegative(declines, "declines");
    if (openCounted && open == null) {
      throw new IllegalArgumentException("no open auto top-up request to count");
    }
    if (!requested.currency().equals(rule.monthlyLimit().currency())) {
      throw new IllegalArgumentException("auto top-up counted in " + requested.currency() + " under a rule in "
          + rule.monthlyLimit().currency());
    }
  }

  /** A first rule, set in the period starting at {@code periodStart}. */
  static AutoTopUpState first(AutoTopUp rule, Instant periodStart) {
    return new AutoTopUpState(rule, true, periodStart, 0, new Money(0, rule.monthlyLimit().currency()), 0, null, false,
        0, null, null, false, null, false);
  }

  /** This state in the billing period starting at {@code start}: the counters start afresh in a new one. */
  AutoTopUpState inPeriod(Instant start) {
    if (start.equals(periodStart)) {
      return this;
    }
    return new AutoTopUpState(rule, on, start, 0, new Money(0, requested.currency()), made, open, false, declines,
        retryNotBefore, refusal, false, decline, switchedOff);
  }

  /**
   * Auto top-up turned on with {@code next}: the decline streak starts afresh, the back-off stays.
   * The rule in force set again changes nothing (the streak stays, so re-setting it to ask again
   * never escapes the decline limit).
   */
  AutoTopUpState withRule(AutoTopUp next) {
    if (on && next.equals(rule)) {
      return this;
    }
    Money counted = requested;
    if (!counted.currency().equals(next.monthlyLimit().currency())) {
      if (!counted.isZero()) {
        throw new InvalidRequestException("monthlyLimit", next.monthlyLimit().toString(),
            "this period's auto top-up requests cost " + counted + ", so the monthly limit cannot be in another"
                + " currency until the next renewal but was " + next.monthlyLimit());
      }
      counted = new Money(0, next.monthlyLimit().currency());
    }
    return new AutoTopUpState(next, true, periodStart, requests, counted, made, open, openCounted, 0, retryNotBefore,
        refusal, false, decline, false);
  }

  /** Auto top-up turned off by the host; an open request stays open, to be confirmed or declined. */
  AutoTopUpState off() {
    return new AutoTopUpState(rule, false, periodStart, requests, requested, made, open, openCounted, declines,
        retryNotBefore, refusal, refusedThisCrossing, decline, false);
  }

  /**
   * The id of the next request of {@code account}'s wallet, made at {@code at}:
   * {@code autotopup:<account>:<n>:<t>}, {@code t} the epoch milliseconds of {@code at}. The time
   * keeps ids apart across a wallet's re-creation (a store that lost it, the account opened again
   * elsewhere), where {@code n} starts at 1 again: the payment provider, which keeps idempotency
   * keys for a while, must never answer a new request with an old payment's result.
   */
  String nextId(String account, Instant at) {
    return ID_PREFIX + account + ":" + (made + 1) + ":" + at.toEpochMilli();
  }

  /**
   * The number of {@code id} if it is exactly one of {@code account}'s request ids made so far
   * ({@code autotopup:<account>:<n>:<t>}, {@code n} from 1 to {@code made} and {@code t} in
   * decimal without a leading zero), else 0: another account's ids (even {@code a:1}'s for
   * {@code a}) are not.
   */
  long numberOf(String account, String id) {
    String prefix = ID_PREFIX + account + ":";
    if (!id.startsWith(prefix)) {
      return 0;
    }
    Matcher m = NUMBER_AND_TIME.matcher(id.substring(prefix.length()));
    if (!m.matches()) {
      return 0;
    }
    try {
      long n = Long.parseLong(m.group(1));
      return n <= made ? n : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * A top-up under one of this wallet's closed request ids (a late success: the provider retried
   * a charge that was declined): the customer paid, so it counts in this period's limits (in
   * money when in the counters' currency) even beyond them, and it ends the decline streak and
   * the back-off, as a confirmation does. A switched-off rule stays off until the host sets one.
   */
  AutoTopUpState paidLate(Money price) {
    Money cost = price.currency().equals(requested.currency()) ? plus(requested, price) : requested;
    return new AutoTopUpState(rule, on, periodStart, requests + 1, cost, made, open, openCounted, 0, null, refusal,
        refusedThisCrossing, decline, switchedOff);
  }

  AutoTopUpState requested(AutoTopUpStatus.OpenRequest request) {
    return new AutoTopUpState(rule, on, periodStart, requests + 1, plus(requested, request.price()), made + 1, request,
        true, declines, retryNotBefore, refusal, false, decline, switchedOff);
  }

  AutoTopUpState refused(AutoTopUpStatus.Refusal r) {
    return new AutoTopUpState(rule, on, periodStart, requests, requested, made, open, openCounted, declines,
        retryNotBefore, r, true, decline, switchedOff);
  }

  /** Ready to record a refusal again: the available credits went back above the threshold. */
  AutoTopUpState rearmed() {
    return refusedThisCrossing ? new AutoTopUpState(rule, on, periodStart, requests, requested, made, open,
        openCounted, declines, retryNotBefore, refusal, false, decline, switchedOff) : this;
  }

  /** The open request was paid: it closes, and the decline streak and back-off end. */
  AutoTopUpState confirmed() {
    return new AutoTopUpState(rule, on, periodStart, requests, requested, made, null, false, 0, null, refusal,
        refusedThisCrossing, decline, switchedOff);
  }

  /**
   * The open request was declined at {@code at}: it closes and no longer counts against this
   * period's limits (if it still counts in them); the back-off starts, and at the rule's decline
   * limit auto top-up switches off.
   */
  AutoTopUpState declined(AutoTopUpStatus.Decline d) {
    boolean thisPeriod = openCounted;
    int count = thisPeriod ? requests - 1 : requests;
    Money cost = thisPeriod ? new Money(Math.subtractExact(requested.minorUnits(), open.price().minorUnits()),
        requested.currency()) : requested;
    int streak = declines + 1;
    boolean off = on && streak >= rule.declineLimit();
    return new AutoTopUpState(rule, on && !off, periodStart, count, cost, made, null, false, streak,
        d.at().plus(rule.backoff()), refusal, refusedThisCrossing, d, switchedOff || off);
  }

  /** The status of this state in the billing period starting at {@code currentPeriodStart}. */
  AutoTopUpStatus status(Instant currentPeriodStart) {
    AutoTopUpState s = inPeriod(currentPeriodStart);
    return new AutoTopUpStatus(s.on ? Optional.of(s.rule) : Optional.empty(), Optional.ofNullable(s.open), s.requests,
        s.requests == 0 ? Optional.empty() : Optional.of(s.requested), s.declines, Optional.ofNullable(s.retryNotBefore),
        Optional.ofNullable(s.refusal), Optional.ofNullable(s.decline), s.switchedOff);
  }

  static Money plus(Money a, Money b) {
    if (!a.currency().equals(b.currency())) {
      throw new InvalidRequestException("price", b.toString(), "an auto top-up costing " + b
          + " cannot count against a limit in " + a.currency());
    }
    try {
      return new Money(Math.addExact(a.minorUnits(), b.minorUnits()), a.currency());
    } catch (ArithmeticException e) {
      throw new CreditOverflowException(b.toString(), "auto top-up requests costing more than fits");
    }
  }
}
