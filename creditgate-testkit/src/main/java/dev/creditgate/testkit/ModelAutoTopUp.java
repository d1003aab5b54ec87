package dev.creditgate.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference model's auto top-up, written from the rules (docs/gate.md, "Auto top-up"), not
 * from the gate's code: one of two rules (the Small pack at 25 credits or less, a decline limit of
 * 2 and a back-off of an hour; {@code AMOUNT}: at most 3 requests and $15 a period, so the money
 * refuses the second; {@code COUNT}: at most 1 request and $50), the period's counters, the open
 * request, the decline streak. Mutable; {@link #copy()} takes a snapshot.
 */
final class ModelAutoTopUp {
  /** The two rules a chain sets, and turning auto top-up off. */
  enum Choice {
    /** The money limit refuses first: $15 and 3 requests a period. */
    AMOUNT(3, 1_500),
    /** The count refuses first: 1 request and $50 a period. */
    COUNT(1, 5_000),
    /** Off. */
    OFF(0, 0);

    final int count;
    final long cents;

    Choice(int count, long cents) {
      this.count = count;
      this.cents = cents;
    }
  }

  static final long THRESHOLD = 25_000;
  static final String PACK = "small";
  static final long PRICE_CENTS = 1_000;
  static final int DECLINE_LIMIT = 2;
  static final Duration BACKOFF = Duration.ofHours(1);

  Choice rule; // null: never set
  boolean on;
  boolean switchedOff;
  Instant periodStart;
  int requests;
  long requestedCents;
  long made;
  long openNumber; // 0: none open
  Instant openAt;
  boolean openCounted; // whether the open request counts in this period's counters
  int declines;
  Instant retryNotBefore;
  boolean refusedThisCrossing;
  boolean everRefused;
  long lastDeclined; // 0: none
  /** The rule in force when the latest request was made: the counters are within its limits. */
  Choice ruleAtLastRequest;
  /** Every request made and every one closed (confirmed or declined), by number. */
  final List<Long> madeNumbers = new ArrayList<>();
  final List<Long> closedNumbers = new ArrayList<>();
  /** When each request was made, by number: its id tells it. */
  final List<Instant> madeAt = new ArrayList<>();

  ModelAutoTopUp copy() {
    ModelAutoTopUp c = new ModelAutoTopUp();
    c.rule = rule;
    c.on = on;
    c.switchedOff = switchedOff;
    c.periodStart = periodStart;
    c.requests = requests;
    c.requestedCents = requestedCents;
    c.made = made;
    c.openNumber = openNumber;
    c.openAt = openAt;
    c.openCounted = openCounted;
    c.declines = declines;
    c.retryNotBefore = retryNotBefore;
    c.refusedThisCrossing = refusedThisCrossing;
    c.everRefused = everRefused;
    c.lastDeclined = lastDeclined;
    c.ruleAtLastRequest = ruleAtLastRequest;
    c.madeNumbers.addAll(madeNumbers);
    c.closedNumbers.addAll(closedNumbers);
    c.madeAt.addAll(madeAt);
    return c;
  }

  /**
   * The id of request number {@code n} ({@code autotopup:<account>:<n>:<epoch millis it was made
   * at>}); for a number never made, an id of that number no request has.
   */
  String requestId(long n) {
    long millis = n >= 1 && n <= madeAt.size() ? madeAt.get((int) n - 1).toEpochMilli() : 0;
    return "autotopup:" + InFlightWork.ACCOUNT.value() + ":" + n + ":" + millis;
  }

  /** The counters start afresh in a new billing period. */
  private void inPeriod(Instant start) {
    if (!start.equals(periodStart)) {
      periodStart = start;
      requests = 0;
      requestedCents = 0;
      refusedThisCrossing = false;
      openCounted = false; // a request of the period before counts there, not here
    }
  }

  void set(Choice choice, Instant currentPeriodStart) {
    if (choice == Choice.OFF) {
      if (rule != null) {
        on = false;
        switchedOff = false;
      }
      return;
    }
    if (rule == null) {
      periodStart = currentPeriodStart;
    } else {
      inPeriod(currentPeriodStart);
    }
    if (on && rule == choice) {
      return; // the rule in force again: nothing changes (a request may follow, see afterSpend)
    }
    rule = choice;
    on = true;
    declines = 0;
    refusedThisCrossing = false;
    switchedOff = false;
  }

  /** After a spend (a charge or a capture) left {@code available} thousandths every operation may spend, at {@code at}. */
  void afterSpend(long available, Instant currentPeriodStart, Instant at) {
    if (rule == null || !on || openNumber != 0 || available > THRESHOLD
        || retryNotBefore != null && at.isBefore(retryNotBefore)) {
      return;
    }
    inPeriod(currentPeriodStart);
    if (requests >= rule.count || requestedCents + PRICE_CENTS > rule.cents) {
      if (!refusedThisCrossing) {
        refusedThisCrossing = true;
        everRefused = true;
      }
      return;
    }
    made++;
    openNumber = made;
    openAt = at;
    openCounted = true;
    requests++;
    requestedCents += PRICE_CENTS;
    ruleAtLastRequest = rule;
    madeNumbers.add(made);
    madeAt.add(at);
  }

  /** After a grant (or an upgrade) left {@code available} common thousandths: a refusal is recorded again above the threshold. */
  void afterGrant(long available) {
    if (rule != null && refusedThisCrossing && available > THRESHOLD) {
      refusedThisCrossing = false;
    }
  }

  boolean isOpen(long number) {
    return openNumber != 0 && openNumber == number;
  }

  void confirm() {
    closedNumbers.add(openNumber);
    openNumber = 0;
    openAt = null;
    openCounted = false;
    declines = 0;
    retryNotBefore = null;
  }

  void decline(Instant currentPeriodStart, Instant at) {
    inPeriod(currentPeriodStart);
    if (openCounted) {
      requests--;
      requestedCents -= PRICE_CENTS;
    }
    openCounted = false;
    declines++;
    boolean off = on && declines >= DECLINE_LIMIT;
    on = on && !off;
    switchedOff |= off;
    retryNotBefore = at.plus(BACKOFF);
    lastDeclined = openNumber;
    closedNumbers.add(openNumber);
    openNumber = 0;
    openAt = null;
  }

  /**
   * What the status shows, compared field by field: whether it is on, the open request's number,
   * the period's requests and cents (as of {@code currentPeriodStart}), the declines in a row, the
   * back-off's end, whether any request was refused, the last declined request's number, whether
   * it switched itself off.
   */
  List<Object> status(Instant currentPeriodStart) {
    boolean samePeriod = currentPeriodStart.equals(periodStart);
    return List.of(on, openNumber, samePeriod ? requests : 0, samePeriod ? requestedCents : 0L, declines,
        retryNotBefore == null ? "" : retryNotBefore, everRefused, lastDeclined, switchedOff);
  }
}
