package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A renewal schedule is a value: its anchor and zone, whatever it has computed and remembered. */
class RenewalScheduleValueTest {
  private static final Instant START = Instant.parse("2025-01-31T10:00:00Z");

  @Test
  void schedulesAreEqualExactlyWhenTheirAnchorAndZoneAre() {
    RenewalSchedule schedule = RenewalSchedule.startingAt(START, ZoneOffset.UTC);
    RenewalSchedule same = RenewalSchedule.startingAt(START, ZoneOffset.UTC);
    same.periodStart(5); // a remembered period start is no part of the value

    assertEquals(schedule, same);
    assertEquals(schedule.hashCode(), same.hashCode());
    assertNotEquals(schedule, RenewalSchedule.startingAt(START.plusSeconds(1), ZoneOffset.UTC));
    assertNotEquals(schedule, new RenewalSchedule(schedule.anchor(), ZoneId.of("Europe/Paris")));
    assertNotEquals(schedule, START);
    assertEquals("RenewalSchedule[anchor=2025-01-31T10:00, zone=Z]", schedule.toString());
  }
}
