package dev.creditgate;

/** A hold that is unknown, already captured, released or expired was asked to resolve again. */
public final class HoldStateException extends CreditGateException {
  private static final long serialVersionUID = 1L;

  public HoldStateException(String message) {
    super(message);
  }
}
