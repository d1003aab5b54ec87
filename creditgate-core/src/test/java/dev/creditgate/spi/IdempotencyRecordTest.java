package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.creditgate.model.IdempotencyKey;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdempotencyRecordTest {
  private static final IdempotencyKey KEY = IdempotencyKey.of("msg-1");
  private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void aRecordMadeWithItsObjectsEncodesEachTextOnlyWhenAskedAndOnce() {
    AtomicInteger requestEncodings = new AtomicInteger();
    AtomicInteger resultEncodings = new AtomicInteger();
    IdempotencyRecord record = IdempotencyRecord.of(KEY, 7, quantity -> {
      requestEncodings.incrementAndGet();
      return "charge x" + quantity;
    }, 42L, value -> {
      resultEncodings.incrementAndGet();
      return "answer " + value;
    }, AT);

    assertEquals(Optional.of(42L), record.value());
    assertEquals(0, requestEncodings.get());
    assertEquals(0, resultEncodings.get());
    assertEquals("answer 42", record.result());
    assertEquals("answer 42", record.result());
    assertEquals(0, requestEncodings.get());
    assertEquals(1, resultEncodings.get());
    assertEquals("charge x7", record.request());
    assertEquals("charge x7", record.request());
    assertEquals(1, requestEncodings.get());
    assertEquals(1, resultEncodings.get());
  }

  @Test
  void aRecordReadBackAsTextHasNoObjectAndEqualsTheRecordItWasWrittenFrom() {
    IdempotencyRecord made = IdempotencyRecord.of(KEY, 1, quantity -> "charge x" + quantity, 42L,
        value -> "answer " + value, AT);
    IdempotencyRecord read = new IdempotencyRecord(KEY, "charge x1", "answer 42", AT);
    IdempotencyRecord other = new IdempotencyRecord(KEY, "charge x2", "answer 42", AT);

    assertEquals(Optional.empty(), read.value());
    assertEquals(made, read);
    assertEquals(made.hashCode(), read.hashCode());
    assertEquals(false, made.equals(other));
    assertEquals("IdempotencyRecord[key=" + KEY + ", request=charge x1, result=answer 42, at=" + AT + "]",
        made.toString());
  }

  @Test
  void missingFieldsAreRefused() {
    assertThrows(InvalidRequestException.class, () -> new IdempotencyRecord(KEY, "r", null, AT));
    assertThrows(InvalidRequestException.class, () -> new IdempotencyRecord(KEY, null, "x", AT));
    assertThrows(InvalidRequestException.class, () -> new IdempotencyRecord(null, "r", "x", AT));
    assertThrows(InvalidRequestException.class, () -> new IdempotencyRecord(KEY, "r", "x", null));
    assertThrows(InvalidRequestException.class,
        () -> IdempotencyRecord.of(KEY, "r", String::valueOf, null, String::valueOf, AT));
    assertThrows(InvalidRequestException.class, () -> IdempotencyRecord.of(KEY, "r", String::valueOf, 1, null, AT));
    assertThrows(InvalidRequestException.class, () -> IdempotencyRecord.of(KEY, null, String::valueOf, 1,
        String::valueOf, AT));
    assertThrows(InvalidRequestException.class, () -> IdempotencyRecord.of(KEY, "r", null, 1, String::valueOf, AT));
  }
}
