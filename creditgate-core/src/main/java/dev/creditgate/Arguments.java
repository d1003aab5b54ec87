package dev.creditgate;

import java.time.Instant;

/** The gate's argument checks: each failure is an {@link InvalidRequestException} naming the value. */
final class Arguments {
  /** The times the gate accepts: years 1 to 9999, where every date computation is defined. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private Arguments() {}

  static <T> T require(T value, String name) {
    return InvalidRequestException.requireNonNull(value, name);
  }

  static Instant requireTime(Instant value, String name) {
    require(value, name);
    if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
      throw new InvalidRequestException(name, value.toString(), name + " " + value + " is outside the years 1 to 9999");
    }
    return value;
  }
}
