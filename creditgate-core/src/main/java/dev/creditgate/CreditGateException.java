package dev.creditgate;

/**
 * The one exception type a caller of creditgate needs to catch.
 *
 * <p>Every subtype is thrown <em>before</em> anything is written: a call that fails with a
 * {@code CreditGateException} leaves every balance, hold, ledger entry and idempotency record
 * exactly as it was. Each message names the value that was rejected.
 *
 * <p>A denial for lack of credits is <em>not</em> an exception: it is a normal answer, a
 * {@code Decision.Denied}. Exceptions are for bad input and broken infrastructure.
 */
public abstract class CreditGateException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  protected CreditGateException(String message) {
    super(message);
  }

  protected CreditGateException(String message, Throwable cause) {
    super(message, cause);
  }
}
