package dev.creditgate;

/**
 * An amount of credits or money would not fit in its exact representation. Nothing was changed.
 * Retrying the same call overflows again.
 */
public final class CreditOverflowException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  private final String value;

  /**
   * @param value the amount, or the arithmetic on amounts, that does not fit, as text: e.g.
   *     {@code "1E+30"} or {@code "9223372036854775.807 + 1"}
   */
  public CreditOverflowException(String value, String message) {
    super(message);
    this.value = value;
  }

  /** The amount, or the arithmetic on amounts, that does not fit, as text. */
  public String value() {
    return value;
  }
}
