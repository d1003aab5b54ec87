package dev.creditgate;


import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * When a subscription renews: every month on the anchor's day of month at the anchor's local time
 * (to the second) in the account's zone. A month without the anchor day renews on its last day
 * (anchor 31 January: 28 or 29 February, 31 March, 30 April), and the anchor day is kept, never
 * drifted, because every renewal is computed from the anchor itself. A local time that falls in a
 * daylight-saving gap moves forward by the gap's length; one that falls in an overlap takes the
 * earlier offset.
 *
 * <p>Immutable and thread-safe. It remembers the last period start it computed, because the gate
 * asks for the next renewal on every check.
 */
final class RenewalSchedule {
  /** Bits of {@link #memo} that hold the period; the rest hold the start's epoch second. */
  private static final int PERIOD_BITS = 24;
  private static final long NONE = -1;

  private final long anchorSecond;
  private final ZoneId zone;
  /**
   * The last period start computed, packed as {@code period << 40 | epochSecond} (periods below
   * 2^23, seconds below 2^40, far beyond any real date): one long, so threads never see it torn.
   */
  private volatile long memo = NONE;

  /**
   * @param anchor the local date and time of the first period's start; fractions of a second are
   *     dropped
   */
  public RenewalSchedule(LocalDateTime anchor, ZoneId zone) {
    Arguments.require(anchor, "anchor");
    this.zone = Arguments.require(zone, "zone");
    this.anchorSecond = anchor.toEpochSecond(ZoneOffset.UTC);
  }

  /** A schedule whose anchor is the local date and time of {@code start} in {@code zone}. */
  public static RenewalSchedule startingAt(Instant start, ZoneId zone) {
    Arguments.require(start, "start");
    Arguments.require(zone, "zone");
    return new RenewalSchedule(LocalDateTime.ofInstant(start, zone), zone);
  }

  /** The local date and time every renewal is computed from. */
  public LocalDateTime anchor() {
    return LocalDateTime.ofEpochSecond(anchorSecond, 0, ZoneOffset.UTC);
  }

  public ZoneId zone() {
    return zone;
  }

  /** The start of period {@code n}: {@code n} months after the anchor (period 0 starts at it). */
  public Instant periodStart(long n) {
    long m = memo;
    if (m != NONE && (m >>> (64 - PERIOD_BITS)) == n) {
      return Instant.ofEpochSecond(m & ((1L << (64 - PERIOD_BITS)) - 1));
    }
    Instant start = anchor().plusMonths(n).atZone(zone).toInstant();
    long second = start.getEpochSecond();
    if (n >= 0 && n < (1L << (PERIOD_BITS - 1)) && second >= 0 && second < (1L << (64 - PERIOD_BITS))) {
      memo = n << (64 - PERIOD_BITS) | second;
    }
    return start;
  }

  /** Whether period {@code n} has started by {@code at}; allocation-free when it is remembered. */
  public boolean hasStarted(long n, Instant at) {
    long m = memo;
    if (m != NONE && (m >>> (64 - PERIOD_BITS)) == n) {
      // Starts fall on whole seconds (the anchor has no fraction), so seconds decide.
      return (m & ((1L << (64 - PERIOD_BITS)) - 1)) <= at.getEpochSecond();
    }
    return !periodStart(n).isAfter(at);
  }

  /**
   * The period that contains {@code at}: the largest {@code n >= 0} whose start is at or before it
   * (0 for any time before the anchor).
   */
  public long periodAt(Instant at) {
    LocalDateTime local = LocalDateTime.ofInstant(at, zone);
    long n = Math.max(0, ChronoUnit.MONTHS.between(anchor(), local));
    while (n > 0 && periodStart(n).isAfter(at)) {
      n--;
    }
    while (!periodStart(n + 1).isAfter(at)) {
      n++;
    }
    return n;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RenewalSchedule s && s.anchorSecond == anchorSecond && s.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(anchorSecond, zone);
  }

  @Override
  public String toString() {
    return "RenewalSchedule[anchor=" + anchor() + ", zone=" + zone + "]";
  }
}
