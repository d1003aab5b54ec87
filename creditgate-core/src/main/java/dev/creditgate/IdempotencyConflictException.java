package dev.creditgate;

import dev.creditgate.model.IdempotencyKey;

/**
 * An idempotency key was reused for a call with other arguments. The first call's result stands;
 * the second call changed nothing, and retrying it with the same key conflicts again.
 */
public final class IdempotencyConflictException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  /** The key that was reused. */
  private final IdempotencyKey key;
  /** The recorded text of the request the key was first used for. */
  private final String firstRequest;
  /** The encoded request that reused the key. */
  private final String thisRequest;

  /**
   * The key {@code key} was first used for {@code firstRequest} and is now reused for
   * {@code thisRequest}.
   *
   * @param key the key that was reused, within one account
   * @param firstRequest the recorded text of the request the key was first used for
   * @param thisRequest the encoded request that reused it
   */
  IdempotencyConflictException(IdempotencyKey key, String firstRequest, String thisRequest) {
    super("idempotency key '" + key + "' was first used for [" + RequestCodec.describe(firstRequest)
        + "] and cannot be reused for [" + RequestCodec.describe(thisRequest) + "]");
    this.key = key;
    this.firstRequest = firstRequest;
    this.thisRequest = thisRequest;
  }

  /**
   * The key that was reused.
   *
   * @return the idempotency key both calls gave
   */
  public IdempotencyKey key() {
    return key;
  }

  /**
   * The request the key was first used for, whose result stands, as recorded (versioned text).
   *
   * @return the first request's recorded text, as the store keeps it
   */
  public String firstRequest() {
    return firstRequest;
  }

  /**
   * The text of the request that reused the key and was refused.
   *
   * @return the refused request in this release's encoding (the recorded one may be older)
   */
  public String thisRequest() {
    return thisRequest;
  }
}
