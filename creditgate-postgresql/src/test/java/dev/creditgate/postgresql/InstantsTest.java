package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The text a charge binds its instants as is the array elements' text, era aside. */
class InstantsTest {
  @Test
  void theHandSpelledTextIsTheFormattersForEveryFourDigitYear() {
    Random random = new Random(14);
    long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      Instant at = Instant.ofEpochSecond(first + Math.floorMod(random.nextLong(), last - first + 1),
          random.nextInt(1_000_000_000));
      assertEquals(Instants.element(at), Instants.text(at) + " AD", at.toString());
    }
    for (String edge : new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
        "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z", "2000-02-29T12:34:56.000001Z"}) {
      Instant at = Instant.parse(edge);
      assertEquals(Instants.element(at), Instants.text(at) + " AD", edge);
    }
  }

  @Test
  void yearsBeyondFourDigitsAndBeforeTheEraAreTheFormatters() {
    for (String edge : new String[] {"+10000-01-01T00:00:00Z", "0000-12-31T23:59:59Z", "-4712-01-01T00:00:00Z"}) {
      Instant at = Instant.parse(edge);
      assertEquals(Instants.element(at), Instants.text(at), edge);
    }
  }
}
