package dev.creditgate;

import java.util.Optional;

/**
 * An argument is null, out of range or inconsistent; the message names the argument and its value,
 * and {@link #argument()} and {@link #value()} carry them where one argument is to blame. Nothing
 * was changed; retrying the same call fails the same way.
 */
public final class InvalidRequestException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  /** The argument or setting that was rejected; {@code null} if none is to blame alone. */
  private final String argument;
  /** The rejected value as text; {@code null} if it was null or is not one value. */
  private final String value;

  /**
   * A rejection that no single argument is to blame for, e.g. a catalog without plans.
   *
   * @param message what was rejected and why, for people to read
   */
  public InvalidRequestException(String message) {
    this(null, null, message);
  }

  /**
   * A rejection of {@code value}, given for {@code argument}.
   *
   * @param argument the argument or setting that was rejected, e.g. {@code "account id"} or
   *     {@code "holdTimeToLive"}; {@code null} if none is to blame alone
   * @param value the rejected value as text; {@code null} if it was null or is not one value
   * @param message what was rejected and why, naming the argument and its value
   */
  public InvalidRequestException(String argument, String value, String message) {
    super(message);
    this.argument = argument;
    this.value = value;
  }

  /**
   * The argument or setting that was rejected, as the message names it.
   *
   * @return its name, e.g. {@code "account id"}; empty when no single argument is to blame
   */
  public Optional<String> argument() {
    return Optional.ofNullable(argument);
  }

  /**
   * The rejected value as text, exactly as given (the message shows it escaped); empty when the
   * value was null or no single value is to blame.
   *
   * @return the value's text, unescaped, or empty
   */
  public Optional<String> value() {
    return Optional.ofNullable(value);
  }

  // The gate's own argument checks; other packages have a small helper of their own.

  /** Throws if {@code value} is null, naming the argument. */
  static <T> T requireNonNull(T value, String name) {
    if (value == null) {
      throw new InvalidRequestException(name, null, name + " must not be null");
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
    requireNonNull(value, name);
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
