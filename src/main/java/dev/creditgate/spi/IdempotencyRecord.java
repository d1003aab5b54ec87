package dev.creditgate.spi;

import dev.creditgate.model.IdempotencyKey;
import java.time.Instant;

/**
 * What the first successful call with an idempotency key asked and answered, as text the gate
 * wrote and reads back: a store keeps both strings verbatim. Immutable.
 *
 * @param request the call's arguments, compared with a repeated call's
 * @param result the call's result, returned again to a repeated call
 */
public record IdempotencyRecord(IdempotencyKey key, String request, String result, Instant at) {
  public IdempotencyRecord {
    if (key == null || request == null || result == null || at == null) {
      throw new IllegalArgumentException("idempotency record fields must not be null");
    }
  }
}
