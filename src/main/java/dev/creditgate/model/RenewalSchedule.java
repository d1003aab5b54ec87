package dev.creditgate.model;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * When a subscription renews: every month on the anchor's day of month at the anchor's local time
 * in the account's zone. A month without the anchor day renews on its last day (anchor 31 January:
 * 28 or 29 February, 31 March, 30 April), and the anchor day is kept, never drifted, because every
 * renewal is computed from the anchor itself. A local time that falls in a daylight-saving gap moves
 * forward by the gap's length; one that falls in an overlap takes the earlier offset. Immutable.
 */
public record RenewalSchedule(LocalDateTime anchor, ZoneId zone) {

  public RenewalSchedule {
    InvalidRequestException.requireNonNull(anchor, "anchor");
    InvalidRequestException.requireNonNull(zone, "zone");
  }

  /** A schedule whose anchor is the local date and time of {@code start} in {@code zone}. */
  public static RenewalSchedule startingAt(Instant start, ZoneId zone) {
    InvalidRequestException.requireNonNull(start, "start");
    InvalidRequestException.requireNonNull(zone, "zone");
    return new RenewalSchedule(LocalDateTime.ofInstant(start, zone), zone);
  }

  /** The start of period {@code n}: {@code n} months after the anchor (period 0 starts at it). */
  public Instant periodStart(long n) {
    return anchor.plusMonths(n).atZone(zone).toInstant();
  }

  /**
   * The period that contains {@code at}: the largest {@code n >= 0} whose start is at or before it
   * (0 for any time before the anchor).
   */
  public long periodAt(Instant at) {
    LocalDateTime local = LocalDateTime.ofInstant(at, zone);
    long n = Math.max(0, ChronoUnit.MONTHS.between(anchor, local));
    while (n > 0 && periodStart(n).isAfter(at)) {
      n--;
    }
    while (!periodStart(n + 1).isAfter(at)) {
      n++;
    }
    return n;
  }
}
