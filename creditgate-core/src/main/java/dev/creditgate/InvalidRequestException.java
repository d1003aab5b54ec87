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
}
