package dev.creditgate;

/**
 * An idempotency key was reused for a call with other arguments. The first call's result stands;
 * the second call changed nothing.
 */
public final class IdempotencyConflictException extends CreditGateException {
  private static final long serialVersionUID = 1L;

  public IdempotencyConflictException(String key, String firstCall, String thisCall) {
    super("idempotency key '" + key + "' was first used for [" + firstCall
        + "] and cannot be reused for [" + thisCall + "]");
  }
}
