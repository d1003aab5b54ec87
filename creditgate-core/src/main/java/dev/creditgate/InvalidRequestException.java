package dev.creditgate;

import java.util.Objects;

/**
 * An argument is null, out of range or inconsistent; the message names the argument and its value.
 * Nothing was changed.
 */
public final class InvalidRequestException extends CreditGateException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }

  /** Throws if {@code value} is null, naming the argument. */
  public static <T> T requireNonNull(T value, String name) {
    if (value == null) {
      throw new InvalidRequestException(name + " must not be null");
    }
    return value;
  }

  /** Throws unless {@code value} is strictly positive. */
  public static long requirePositive(long value, String name) {
    if (value <= 0) {
      throw new InvalidRequestException(name + " must be positive but was " + value);
    }
    return value;
  }

  /** Throws unless {@code value} is zero or more. */
  public static long requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new InvalidRequestException(name + " must not be negative but was " + value);
    }
    return value;
  }

  /**
   * Throws unless {@code value} is a non-blank string of at most {@code maxLength} characters
   * without U+0000 (which some stores, PostgreSQL among them, cannot keep).
   */
  public static String requireText(String value, String name, int maxLength) {
    Objects.requireNonNull(name);
    if (value == null) {
      throw new InvalidRequestException(name + " must not be null");
    }
    if (value.isBlank()) {
      throw new InvalidRequestException(name + " must not be blank but was '" + value + "'");
    }
    if (value.length() > maxLength) {
      throw new InvalidRequestException(
          name + " must be at most " + maxLength + " characters but was '" + value + "'");
    }
    int nul = value.indexOf('\0');
    if (nul >= 0) {
      throw new InvalidRequestException(name + " must not contain U+0000 but '" + value.replace('\0', '?')
          + "' has it at index " + nul);
    }
    return value;
  }
}
