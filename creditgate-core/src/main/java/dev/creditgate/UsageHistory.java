package dev.creditgate;

import dev.creditgate.model.Credits;
import dev.creditgate.model.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a wallet keeps of its own use, for the forecast and the advice, instead of reading its
 * ledger: what it spent on each of its last {@value #DAYS_KEPT} days (UTC days), and a summary of
 * the period in force and of its last {@value #PERIODS_KEPT} periods. Bounded, whatever the
 * wallet's age: at most {@value #DAYS_KEPT} day totals and {@value #PERIODS_KEPT} summaries.
 *
 * <p>Immutable. A wallet that never spent nor bought a pack holds {@link #EMPTY}, shared by every
 * such wallet, so an idle wallet costs nothing more; and a charge on the same day as the last
 * makes one small object, sharing the earlier days and the periods.
 */
final class UsageHistory {
  /** The days kept: the longest forecast window. */
  static final int DAYS_KEPT = 31;
  /** The completed periods kept, besides the one in force. */
  static final int PERIODS_KEPT = 6;
  private static final long SECONDS_PER_DAY = 86_400;
  private static final long[] NO_DAYS = new long[0];

  /** Nothing spent, nothing bought, no period recorded. */
  static final UsageHistory EMPTY = new UsageHistory(null, 0, 0, NO_DAYS, 0, 0, null, null, List.of());

  /** The first spend recorded; null before it. */
  private final @Nullable Instant since;
  /** The UTC day (epoch day) of {@link #today}, the latest day with a spend recorded. */
  private final long day;
  /** Thousandths spent on {@link #day}. */
  private final long today;
  /** Thousandths spent on the days before: {@code earlier[i]} on day {@code day - 1 - i}; never written to. */
  private final long[] earlier;
  private final long spent;
  private final long packCredits;
  private final @Nullable Money packsPaid;
  private final @Nullable Instant ranOutAt;
  /** The completed periods, the latest first. */
  private final List<PeriodSummary> periods;

  UsageHistory(@Nullable Instant since, long day, long today, long[] earlier, long spent, long packCredits,
      @Nullable Money packsPaid, @Nullable Instant ranOutAt, List<PeriodSummary> periods) {
    if (earlier.length > DAYS_KEPT - 1) {
      throw new IllegalArgumentException("a usage history keeps " + DAYS_KEPT + " days, not " + (earlier.length + 1));
    }
    if (periods.size() > PERIODS_KEPT) {
      throw new IllegalArgumentException("a usage history keeps " + PERIODS_KEPT + " periods, not " + periods.size());
    }
    if (since == null && (today != 0 || earlier.length != 0)) {
      throw new IllegalArgumentException("a usage history with days spent has a first spend");
    }
    this.since = since;
    this.day = day;
    this.today = today;
    this.earlier = earlier;
    this.spent = spent;
    this.packCredits = packCredits;
    this.packsPaid = packsPaid;
    this.ranOutAt = ranOutAt;
    this.periods = List.copyOf(periods);
  }

  static long dayOf(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), SECONDS_PER_DAY);
  }

  static Instant startOfDay(long day) {
    return Instant.ofEpochSecond(Math.multiplyExact(day, SECONDS_PER_DAY));
  }

  boolean isEmpty() {
    return this == EMPTY;
  }

  /** The first spend this history recorded, if any. */
  Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  long day() {
    return day;
  }

  long today() {
    return today;
  }

  /** A copy of the days before {@link #day()}: element {@code i} is day {@code day - 1 - i}. */
  long[] earlier() {
    return earlier.clone();
  }

  Credits periodSpent() {
    return Credits.ofThousandths(spent);
  }

  Credits periodPackCredits() {
    return Credits.ofThousandths(packCredits);
  }

  Optional<Money> periodPacksPaid() {
    return Optional.ofNullable(packsPaid);
  }

  Optional<Instant> periodRanOutAt() {
    return Optional.ofNullable(ranOutAt);
  }

  /** The completed periods kept, the latest first. */
  List<PeriodSummary> periods() {
    return periods;
  }

  /** The period in force as a summary, from {@code start} up to {@code now}. */
  PeriodSummary current(Instant start, Instant now) {
    return new PeriodSummary(start, now, periodSpent(), periodPackCredits(), periodPacksPaid(), periodRanOutAt());
  }

  /**
   * What was spent on the days {@code from} to {@code to}, both included (UTC epoch days); days
   * older than those kept count as nothing.
   */
  long spentOnDays(long from, long to) {
    long total = 0;
    if (since == null) {
      return 0;
    }
    if (from <= day && day <= to) {
      total = Thousandths.add(total, today);
    }
    for (int i = 0; i < earlier.length; i++) {
      long d = day - 1 - i;
      if (from <= d && d <= to) {
        total = Thousandths.add(total, earlier[i]);
      }
    }
    return total;
  }

  /** This history with {@code amount} spent at {@code at}, in its day and in the period in force. */
  UsageHistory spent(Instant at, Credits amount) {
    long units = amount.thousandths();
    long newSpent = Thousandths.add(spent, units);
    Instant first = since == null || at.isBefore(since) ? at : since;
    long atDay = dayOf(at);
    if (since == null) {
      return new UsageHistory(first, atDay, units, NO_DAYS, newSpent, packCredits, packsPaid, ranOutAt, periods);
    }
    if (atDay == day) {
      return new UsageHistory(first, day, Thousandths.add(today, units), earlier, newSpent, packCredits, packsPaid,
          ranOutAt, periods);
    }
    if (atDay > day) {
      long shift = atDay - day;
      long[] days = shift > DAYS_KEPT - 1 ? NO_DAYS : new long[(int) Math.min(DAYS_KEPT - 1, shift + earlier.length)];
      int length = days.length;
      // day - 1 - i moves to index (atDay - 1) - (day - 1 - i) = shift + i; the old today to shift - 1.
      if (shift - 1 < length) {
        days[(int) (shift - 1)] = today;
      }
      for (int i = 0; i < earlier.length && shift + i < length; i++) {
        days[(int) (shift + i)] = earlier[i];
      }
      return new UsageHistory(first, atDay, units, days, newSpent, packCredits, packsPaid, ranOutAt, periods);
    }
    // A call dated earlier (a queued job): into its day if that day is still kept.
    long back = day - atDay;
    if (back > DAYS_KEPT - 1) {
      return new UsageHistory(first, day, today, earlier, newSpent, packCredits, packsPaid, ranOutAt, periods);
    }
    long[] days = Arrays.copyOf(earlier, (int) Math.max(earlier.length, back));
    days[(int) (back - 1)] = Thousandths.add(days[(int) (back - 1)], units);
    return new UsageHistory(first, day, today, days, newSpent, packCredits, packsPaid, ranOutAt, periods);
  }

  /** This history with the period in force marked as having run out at {@code at}, unless it already had. */
  UsageHistory ranOut(Instant at) {
    if (ranOutAt != null && !at.isBefore(ranOutAt)) {
      return this;
    }
    return new UsageHistory(since, day, today, earlier, spent, packCredits, packsPaid, at, periods);
  }

  /** This history with a pack of {@code credits} bought for {@code price} in the period in force. */
  UsageHistory bought(Credits credits, Money price) {
    Money paid = packsPaid == null ? price
        : packsPaid.currency().equals(price.currency())
            ? new Money(Math.addExact(packsPaid.minorUnits(), price.minorUnits()), price.currency())
            : packsPaid;
    return new UsageHistory(since, day, today, earlier, spent, Thousandths.add(packCredits, credits.thousandths()),
        paid, ranOutAt, periods);
  }

  /**
   * This history with the period in force, from {@code start} to {@code end}, closed into the
   * summaries (the oldest beyond {@value #PERIODS_KEPT} dropped) and a new one begun. A history
   * that recorded nothing yet stays {@link #EMPTY}: periods before a wallet's first use are not
   * kept.
   */
  UsageHistory closePeriod(Instant start, Instant end) {
    if (isEmpty()) {
      return this;
    }
    List<PeriodSummary> closed = new ArrayList<>(PERIODS_KEPT);
    closed.add(current(start, end));
    closed.addAll(periods.subList(0, Math.min(periods.size(), PERIODS_KEPT - 1)));
    return new UsageHistory(since, day, today, earlier, 0, 0, null, null, closed);
  }

  /**
   * This history after an upgrade: the days spent stay (the runway's rate does not change with the
   * plan), but the periods' summaries and what the period in force bought or ran out of are
   * forgotten, so the advice judges the habit of running out under the plan in force only.
   */
  UsageHistory upgraded() {
    if (isEmpty()) {
      return this;
    }
    return new UsageHistory(since, day, today, earlier, 0, 0, null, null, List.of());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UsageHistory h && Objects.equals(since, h.since) && day == h.day && today == h.today
        && Arrays.equals(earlier, h.earlier) && spent == h.spent && packCredits == h.packCredits
        && Objects.equals(packsPaid, h.packsPaid) && Objects.equals(ranOutAt, h.ranOutAt)
        && periods.equals(h.periods);
  }

  @Override
  public int hashCode() {
    return Objects.hash(since, day, today, Arrays.hashCode(earlier), spent, packCredits, packsPaid, ranOutAt,
        periods);
  }

  @Override
  public String toString() {
    return isEmpty() ? "UsageHistory[empty]" : "UsageHistory[since=" + since + ", day=" + day + ", today=" + today
        + ", earlier=" + Arrays.toString(earlier) + ", spent=" + spent + ", packCredits=" + packCredits
        + ", packsPaid=" + packsPaid + ", ranOutAt=" + ranOutAt + ", periods=" + periods + "]";
  }
}
