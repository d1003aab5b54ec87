package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * A caller-given key that makes a mutation idempotent within one account: a payment id for a
 * top-up, a message id for a charge. At most 200 characters. Immutable.
 */
public record IdempotencyKey(String value) {
  public static final int MAX_LENGTH = 200;

  public IdempotencyKey {
    InvalidRequestException.requireText(value, "idempotency key", MAX_LENGTH);
  }

  public static IdempotencyKey of(String value) {
    return new IdempotencyKey(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
