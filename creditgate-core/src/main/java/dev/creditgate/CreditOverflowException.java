package dev.creditgate;

/**
 * An amount of credits or money would not fit in its exact representation. Nothing was changed.
 * Retrying the same call overflows again.
 */
public final class CreditOverflowException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  /** The amount, or the arithmetic on amounts, that does not fit, as text. */
  private final String value;

  /**
   * An amount that does not fit: {@code value}.
   *
   * @param value the amount, or the arithmetic on amounts, that does not fit, as text: e.g.
   *     {@code "1E+30"} or {@code "9223372036854775.807 + 1"}
   * @param message what overflowed, for people to read
   */
  public CreditOverflowException(String value, String message) {
    super(message);
    this.value = value;
  }

  /**
   * The amount, or the arithmetic on amounts, that does not fit, as text.
   *
   * @return the value as given to the constructor, e.g. {@code "9223372036854775.807 + 1"}
   */
  public String value() {
    return value;
  }
}
