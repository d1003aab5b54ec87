package dev.creditgate;

import java.time.Instant;

/**
 * The argument checks of this package: each failure is an {@link InvalidRequestException} naming
 * the argument and the value. ({@code dev.creditgate.model} has its own, {@code Checks}.)
 */
final class Arguments {
  /** The times the gate accepts: years 1 to 9999, where every date computation is defined. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private Arguments() {}

  static <T> T require(T value, String name) {
    if (value == null) {
      throw new InvalidRequestException(name, null, name + " must not be null");
    }
    return value;
  }

  static Instant requireTime(Instant value, String name) {
    require(value, name);
    if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
      throw new InvalidRequestException(name, value.toString(), name + " " + value + " is outside the years 1 to 9999");
    }
    return value;
  }


  /** Throws unless {@code value} is strictly positive. */
  static long requirePositive(long value, String name) {
    if (value <= 0) {
      throw new InvalidRequestException(name, Long.toString(value), name + " must be positive but was " + value);
    }
    return value;
  }

  /** Throws unless {@code value} is zero or more. */
  static long requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new InvalidRequestException(name, Long.toString(value), name + " must not be negative but was " + value);
    }
    return value;
  }

  /**
   * Throws unless {@code value} is a non-blank string of at most {@code maxLength} characters
   * that every store keeps exactly: no U+0000 (PostgreSQL's text cannot hold it) and no lone
   * surrogate (a UTF-8 store would turn it into {@code ?}, so two different values would become
   * one).
   */
  static String requireText(String value, String name, int maxLength) {
    require(value, name);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1));
      if (pair) {
        i++;
      } else if (c == '\0' || Character.isSurrogate(c)) {
        String what = c == '\0' ? "U+0000" : String.format("a lone surrogate (U+%04X)", (int) c);
        throw new InvalidRequestException(name, value,
            name + " must not contain " + what + " but '" + value + "' has it at index " + i);
      }
    }
    if (value.isBlank()) {
      throw new InvalidRequestException(name, value, name + " must not be blank but was '" + value + "'");
    }
    if (value.length() > maxLength) {
      throw new InvalidRequestException(name, value,
          name + " must be at most " + maxLength + " characters but was '" + value + "'");
    }
    return value;
  }
}
