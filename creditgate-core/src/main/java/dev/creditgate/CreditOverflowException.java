package dev.creditgate;

/** An amount of credits or money would not fit in its exact representation. Nothing was changed. */
public final class CreditOverflowException extends CreditGateException {
  private static final long serialVersionUID = 1L;

  public CreditOverflowException(String message) {
    super(message);
  }
}
