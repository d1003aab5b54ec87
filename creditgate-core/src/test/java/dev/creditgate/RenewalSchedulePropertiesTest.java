package dev.creditgate;

import dev.creditgate.RenewalSchedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Renewal dates: the anchor day each month or the month's last day, the anchor's local time unless
 * it falls in a daylight-saving gap, and periods that neither repeat nor skip.
 *
 * <p>The expected dates are computed here from {@link YearMonth} and the zone's rules, not from
 * {@link LocalDateTime#plusMonths}, which the schedule itself uses.
 */
class RenewalSchedulePropertiesTest {

  /** UTC, zones with daylight saving on both hemispheres, a half-hour shift, a midnight shift, a skipped day. */
  static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneId.of("Europe/Paris"),
      ZoneId.of("America/New_York"), ZoneId.of("Australia/Sydney"), ZoneId.of("Australia/Lord_Howe"),
      ZoneId.of("America/Sao_Paulo"), ZoneId.of("Pacific/Apia"), ZoneId.of("Asia/Kolkata"));

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(ZONES);
  }

  /** Local times biased towards the hours where daylight saving changes (00:00-03:59). */
  @Provide
  Arbitrary<LocalTime> times() {
    Arbitrary<LocalTime> anyTime = Arbitraries.integers().between(0, 24 * 3600 - 1)
        .map(s -> LocalTime.ofSecondOfDay(s));
    Arbitrary<LocalTime> nightTime = Arbitraries.integers().between(0, 4 * 3600 - 1)
        .map(s -> LocalTime.ofSecondOfDay(s));
    Arbitrary<LocalTime> onTheHour = Arbitraries.integers().between(0, 23).map(h -> LocalTime.of(h, 0));
    return Arbitraries.frequencyOf(Tuple.of(2, anyTime), Tuple.of(3, nightTime), Tuple.of(1, onTheHour),
        Tuple.of(1, Arbitraries.of(LocalTime.of(2, 30), LocalTime.of(2, 15), LocalTime.of(1, 30),
            LocalTime.MIDNIGHT, LocalTime.of(0, 30))));
  }

  /** Anchor dates over leap and common years, every day 1..31 (clamped into short months). */
  @Provide
  Arbitrary<LocalDate> anchorDates() {
    Arbitrary<Integer> years = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(1995, 2045)),
        Tuple.of(1, Arbitraries.of(2000, 2011, 2012, 2024, 2100)));
    Arbitrary<Integer> months = Arbitraries.integers().between(1, 12);
    Arbitrary<Integer> days = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.integers().between(1, 31)),
        Tuple.of(2, Arbitraries.integers().between(28, 31)));
    return Combinators.combine(years, months, days)
        .filter((y, m, d) -> d <= YearMonth.of(y, m).lengthOfMonth())
        .as(LocalDate::of);
  }

  @Provide
  Arbitrary<RenewalSchedule> schedules() {
    return Combinators.combine(anchorDates(), times(), zones())
        .as((date, time, zone) -> new RenewalSchedule(LocalDateTime.of(date, time), zone));
  }

  /** Period indexes up to 50 years, with the first year and a half tried more often. */
  @Provide
  Arbitrary<Long> periods() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(0, 18)),
        Tuple.of(1, Arbitraries.longs().between(0, 600)));
  }

  @Property(tries = 1000)
  void renewalNIsOnTheAnchorDayOrTheMonthsLastDay_neverDrifted_atTheAnchorTimeUnlessInAGap(
      @ForAll("schedules") RenewalSchedule schedule, @ForAll("periods") long n) {
    assertRenewalIsOnAnchorDayAtAnchorTime(schedule, n);
  }

  /**
   * Schedules whose renewal {@code n} falls on a day the zone changes its offset, at a local time
   * within two hours of the change (in the gap, in the overlap, or beside them).
   */
  @Provide
  Arbitrary<Tuple.Tuple2<RenewalSchedule, Long>> schedulesRenewingOnAnOffsetChange() {
    Arbitrary<ZoneId> zonesWithChanges = Arbitraries.of(ZONES)
        .filter(zone -> zone.getRules().nextTransition(Instant.parse("2030-01-01T00:00:00Z")) != null);
    Arbitrary<Instant> from = Arbitraries.longs()
        .between(Instant.parse("1996-01-01T00:00:00Z").getEpochSecond(), Instant.parse("2045-01-01T00:00:00Z").getEpochSecond())
        .map(Instant::ofEpochSecond);
    Arbitrary<Integer> minutesFromChange = Arbitraries.integers().between(-120, 120);
    return Combinators.combine(zonesWithChanges, from, minutesFromChange, periods())
        .as((zone, instant, minutes, n) -> {
          ZoneOffsetTransition change = zone.getRules().nextTransition(instant);
          LocalDateTime renewal = change.getDateTimeBefore().plusMinutes(minutes);
          YearMonth anchorMonth = YearMonth.from(renewal).minusMonths(n);
          if (renewal.getDayOfMonth() > anchorMonth.lengthOfMonth()) {
            return null; // the anchor would have to be a day its month lacks
          }
          LocalDateTime anchor = LocalDateTime.of(anchorMonth.atDay(renewal.getDayOfMonth()), renewal.toLocalTime());
          return Tuple.of(new RenewalSchedule(anchor, zone), n);
        })
        .filter(t -> t != null);
  }

  @Property(tries = 1000)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void renewalOnADaylightSavingChangeDayKeepsTheAnchorDay_andTheAnchorTimeUnlessInTheGap(
      @ForAll("schedulesRenewingOnAnOffsetChange") Tuple.Tuple2<RenewalSchedule, Long> scheduleAndPeriod) {
    String where = assertRenewalIsOnAnchorDayAtAnchorTime(scheduleAndPeriod.get1(), scheduleAndPeriod.get2());
    Statistics.label("local renewal time").collect(where);
    Statistics.label("local renewal time").coverage(coverage -> {
      coverage.check("gap").percentage(p -> p >= 5);
      coverage.check("overlap").percentage(p -> p >= 5);
    });
  }

  /** Asserts and returns where the wanted local time fell: "gap", "overlap" or "valid". */
  private static String assertRenewalIsOnAnchorDayAtAnchorTime(RenewalSchedule schedule, long n) {
    LocalDateTime anchor = schedule.anchor();
    ZoneRules rules = schedule.zone().getRules();
    YearMonth month = YearMonth.from(anchor).plusMonths(n);
    int day = Math.min(anchor.getDayOfMonth(), month.lengthOfMonth());
    LocalDateTime wanted = LocalDateTime.of(month.atDay(day), anchor.toLocalTime());

    ZonedDateTime actual = schedule.periodStart(n).atZone(schedule.zone());
    ZoneOffsetTransition transition = rules.getTransition(wanted);
    if (transition != null && transition.isGap()) {
      assertEquals(wanted.plus(transition.getDuration()), actual.toLocalDateTime(),
          "renewal " + n + " of " + schedule + ": in a gap the local time moves forward by the gap's length");
      return "gap";
    } else {
      assertEquals(wanted, actual.toLocalDateTime(), "renewal " + n + " of " + schedule);
      ZoneOffset expectedOffset = transition != null ? transition.getOffsetBefore() : rules.getOffset(wanted);
      assertEquals(expectedOffset, actual.getOffset(),
          "renewal " + n + " of " + schedule + ": in an overlap the earlier offset is taken");
      return transition != null ? "overlap" : "valid";
    }
  }

  @Property(tries = 1000)
  void consecutivePeriodsNeverCoincide_eachPeriodStartsStrictlyAfterTheOneBefore(
      @ForAll("schedules") RenewalSchedule schedule, @ForAll("periods") long n) {
    Instant start = schedule.periodStart(n);
    Instant next = schedule.periodStart(n + 1);
    assertTrue(start.isBefore(next), () -> "period " + n + " starts " + start + ", period " + (n + 1) + " " + next);
    assertTrue(Duration.between(start, next).compareTo(Duration.ofDays(27)) > 0,
        () -> "a period is about a month long, not " + Duration.between(start, next));
  }

  @Property(tries = 1000)
  void eachPeriodIsEnteredAtItsStartAndLeftJustBeforeTheNext_noneRepeatedOrSkipped(
      @ForAll("schedules") RenewalSchedule schedule, @ForAll("periods") long n) {
    Instant start = schedule.periodStart(n);
    Instant next = schedule.periodStart(n + 1);
    assertEquals(n, schedule.periodAt(start), "at the start of period " + n);
    assertEquals(n, schedule.periodAt(next.minusNanos(1)), "just before period " + (n + 1));
    assertEquals(n + 1, schedule.periodAt(next), "at the start of period " + (n + 1));
  }

  @Provide
  Arbitrary<Duration> offsets() {
    // from two years before the anchor to fifty years after, with second and nano precision
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.longs().between(-2L * 366 * 86400, 0)),
        Tuple.of(3, Arbitraries.longs().between(0, 3L * 366 * 86400)),
        Tuple.of(1, Arbitraries.longs().between(0, 50L * 366 * 86400)))
        .flatMap(seconds -> Arbitraries.integers().between(0, 999_999_999)
            .map(nanos -> Duration.ofSeconds(seconds, nanos)));
  }

  @Property(tries = 1000)
  void periodAtIsTheLastPeriodStartedAtOrBeforeT(
      @ForAll("schedules") RenewalSchedule schedule, @ForAll("offsets") Duration offset) {
    Instant t = schedule.periodStart(0).plus(offset);
    long n = schedule.periodAt(t);
    assertTrue(n >= 0);
    if (t.isBefore(schedule.periodStart(0))) {
      assertEquals(0, n, "any time before the anchor is in period 0");
    } else {
      assertTrue(!schedule.periodStart(n).isAfter(t), () -> "periodStart(" + n + ") > " + t);
    }
    assertTrue(t.isBefore(schedule.periodStart(n + 1)), () -> "periodStart(" + (n + 1) + ") <= " + t);
  }

  @Property(tries = 1000)
  void periodAtIsMonotonicInTime(
      @ForAll("schedules") RenewalSchedule schedule,
      @ForAll("offsets") Duration a, @ForAll("offsets") Duration b) {
    Instant origin = schedule.periodStart(0);
    Instant early = origin.plus(a.compareTo(b) <= 0 ? a : b);
    Instant late = origin.plus(a.compareTo(b) <= 0 ? b : a);
    assertTrue(schedule.periodAt(early) <= schedule.periodAt(late),
        () -> "periodAt(" + early + ") > periodAt(" + late + ")");
  }

  @Property(tries = 500)
  void aScheduleStartingAtAnInstantBeginsPeriodZeroAtOrBeforeIt(
      @ForAll("anchorDates") LocalDate date, @ForAll("times") LocalTime time, @ForAll("zones") ZoneId zone,
      @ForAll @IntRange(min = 0, max = 1) int laterOffset) {
    // An instant in an overlap may be at the later offset: period 0 still contains it.
    List<ZoneOffset> offsets = zone.getRules().getValidOffsets(LocalDateTime.of(date, time));
    ZonedDateTime local = ZonedDateTime.ofLocal(LocalDateTime.of(date, time), zone,
        offsets.isEmpty() ? null : offsets.get(Math.min(laterOffset, offsets.size() - 1)));
    Instant start = local.toInstant();
    RenewalSchedule schedule = RenewalSchedule.startingAt(start, zone);

    assertEquals(0, schedule.periodAt(start));
    assertTrue(!schedule.periodStart(0).isAfter(start));
    assertTrue(Duration.between(schedule.periodStart(0), start).compareTo(Duration.ofHours(1)) <= 0);
  }
}
