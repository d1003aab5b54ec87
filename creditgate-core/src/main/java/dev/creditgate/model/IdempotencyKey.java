package dev.creditgate.model;

/**
 * A caller-given key that makes a mutation idempotent within one account: a payment id for a
 * top-up, a message id for a charge. At most 200 characters, not blank, and text every store keeps
 * exactly: any Unicode text (emoji included) but U+0000 and lone surrogates, so two different keys
 * never become one in a store. Immutable.
 */
public record IdempotencyKey(String value) {
  public static final int MAX_LENGTH = 200;

  public IdempotencyKey {
    Checks.text(value, "idempotency key", MAX_LENGTH);
  }

  /**
   * @throws dev.creditgate.InvalidRequestException naming the value if it is null, blank, too long,
   *     or has U+0000 or a lone surrogate
   */
  public static IdempotencyKey of(String value) {
    return new IdempotencyKey(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
