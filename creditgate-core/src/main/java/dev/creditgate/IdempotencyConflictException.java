package dev.creditgate;

import dev.creditgate.model.IdempotencyKey;

/**
 * An idempotency key was reused for a call with other arguments. The first call's result stands;
 * the second call changed nothing, and retrying it with the same key conflicts again.
 */
public final class IdempotencyConflictException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  private final IdempotencyKey key;
  private final String firstRequest;
  private final String thisRequest;

  /**
   * @param firstRequest the recorded text of the request the key was first used for
   * @param thisRequest the encoded request that reused it
   */
  public IdempotencyConflictException(IdempotencyKey key, String firstRequest, String thisRequest) {
    super("idempotency key '" + key + "' was first used for [" + RequestCodec.describe(firstRequest)
        + "] and cannot be reused for [" + RequestCodec.describe(thisRequest) + "]");
    this.key = key;
    this.firstRequest = firstRequest;
    this.thisRequest = thisRequest;
  }

  /** The key that was reused. */
  public IdempotencyKey key() {
    return key;
  }

  /** The request the key was first used for, whose result stands, as recorded (versioned text). */
  public String firstRequest() {
    return firstRequest;
  }

  /** The text of the request that reused the key and was refused. */
  public String thisRequest() {
    return thisRequest;
  }
}
