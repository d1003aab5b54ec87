package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import org.junit.jupiter.api.Test;

/** Ids may hold any text PostgreSQL can store: everything but U+0000. */
class NulCharacterTest {
  @Test
  void anAccountIdWithANulCharacterIsRejectedNamingTheCharacter() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> AccountId.of("ali\u0000ce"));
    assertTrue(e.getMessage().contains("U+0000") && e.getMessage().contains("ali?ce"), e.getMessage());
  }

  @Test
  void anIdempotencyKeyWithANulCharacterIsRejected() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> IdempotencyKey.of("pay\u00001"));
    assertTrue(e.getMessage().contains("U+0000") && e.getMessage().contains("index 3"), e.getMessage());
  }
}
