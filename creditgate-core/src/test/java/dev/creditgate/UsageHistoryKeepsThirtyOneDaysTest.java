package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.creditgate.model.Credits;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A wallet keeps the spend of its last 31 UTC days, exactly: the day 30 days back stays, 31 goes. */
class UsageHistoryKeepsThirtyOneDaysTest {
  private static final Instant DAY_0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final long D0 = UsageHistory.dayOf(DAY_0);

  private static Instant day(int n) {
    return DAY_0.plus(Duration.ofDays(n));
  }

  @Test
  void aSpendThirtyDaysBeforeTheLatestStaysAndThirtyOneDaysBeforeIsDropped() {
    UsageHistory kept = UsageHistory.EMPTY.spent(day(0), Credits.of(1)).spent(day(30), Credits.of(2));
    assertEquals(3_000, kept.spentOnDays(D0, D0 + 30));
    assertEquals(1_000, kept.spentOnDays(D0, D0));
    UsageHistory dropped = UsageHistory.EMPTY.spent(day(0), Credits.of(1)).spent(day(31), Credits.of(2));
    assertEquals(2_000, dropped.spentOnDays(D0, D0 + 31));
    assertEquals(0, dropped.spentOnDays(D0, D0));
  }

  @Test
  void eachDayMovesBackOneWhenTheNextDaySpends() {
    UsageHistory h = UsageHistory.EMPTY.spent(day(0), Credits.of(1)).spent(day(1), Credits.of(2))
        .spent(day(3), Credits.of(4));
    assertEquals(1_000, h.spentOnDays(D0, D0));
    assertEquals(2_000, h.spentOnDays(D0 + 1, D0 + 1));
    assertEquals(0, h.spentOnDays(D0 + 2, D0 + 2));
    assertEquals(4_000, h.spentOnDays(D0 + 3, D0 + 3));
  }

  @Test
  void aBackDatedSpendLandsOnItsDayWhileThatDayIsKept() {
    UsageHistory h = UsageHistory.EMPTY.spent(day(30), Credits.of(2)).spent(day(0), Credits.of(1));
    assertEquals(1_000, h.spentOnDays(D0, D0), "30 days back: kept on its day");
    UsageHistory late = UsageHistory.EMPTY.spent(day(31), Credits.of(2)).spent(day(0), Credits.of(1));
    assertEquals(0, late.spentOnDays(D0, D0), "31 days back: no longer kept");
    assertEquals(2_000, late.spentOnDays(D0, D0 + 31));
  }
}
