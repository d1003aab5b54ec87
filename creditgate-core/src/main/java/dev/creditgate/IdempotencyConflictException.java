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
   * @param firstRequest the text of the request the key was first used for
   * @param thisRequest the text of the request that reused it
   */
  public IdempotencyConflictException(IdempotencyKey key, String firstRequest, String thisRequest) {
    super("idempotency key '" + key + "' was first used for [" + firstRequest
        + "] and cannot be reused for [" + thisRequest + "]");
    this.key = key;
    this.firstRequest = firstRequest;
    this.thisRequest = thisRequest;
  }

  /** As {@link #IdempotencyConflictException(IdempotencyKey, String, String)}, with the key's text. */
  public IdempotencyConflictException(String key, String firstRequest, String thisRequest) {
    this(IdempotencyKey.of(key), firstRequest, thisRequest);
  }

  /** The key that was reused. */
  public IdempotencyKey key() {
    return key;
  }

  /** The text of the request the key was first used for, whose result stands. */
  public String firstRequest() {
    return firstRequest;
  }

  /** The text of the request that reused the key and was refused. */
  public String thisRequest() {
    return thisRequest;
  }
}
