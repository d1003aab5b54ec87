package dev.creditgate.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every setting of the in-memory store's builder is checked when it is set, never on first use. */
class InMemoryBuilderTest {
  private static final AccountId ADA = AccountId.of("ada");

  @ParameterizedTest(name = "retention {0}")
  @ValueSource(strings = {"PT0S", "-PT1S", "-P36525D", "PT876601H", "P36526D", "PT2562047788015215H30M7S"})
  void aRetentionThatIsNotPositiveOrLongerThanACenturyIsRefusedNamingIt(String text) {
    Duration retention = Duration.parse(text);
    InMemoryWalletStore.Builder builder = InMemoryWalletStore.builder();

    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> builder.idempotencyRecordsFor(retention));

    assertEquals(Optional.of("retention"), e.argument());
    assertEquals(Optional.of(retention.toString()), e.value());
    assertTrue(e.getMessage().contains(retention.toString()), e.getMessage());
  }

  @Test
  void aNullSettingIsRefusedNamingIt() {
    InMemoryWalletStore.Builder builder = InMemoryWalletStore.builder();

    assertEquals(Optional.of("retention"),
        assertThrows(InvalidRequestException.class, () -> builder.idempotencyRecordsFor(null)).argument());
    assertEquals(Optional.of("clock"), assertThrows(InvalidRequestException.class, () -> builder.clock(null)).argument());
  }

  @ParameterizedTest(name = "ledger limit {0}")
  @ValueSource(ints = {9, 0, -1, Integer.MIN_VALUE})
  void aLedgerLimitBelowTenIsRefusedNamingIt(int limit) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> InMemoryWalletStore.builder().ledgerEntriesPerAccount(limit));

    assertEquals(Optional.of(Integer.toString(limit)), e.value());
    assertTrue(e.getMessage().contains(Integer.toString(limit)), e.getMessage());
  }

  /**
   * The longest retention, by a clock at either end of the years a gate works in: every commit's
   * pruning (the clock minus the retention) stays an instant, so no call fails on the setting later.
   */
  @ParameterizedTest(name = "clock at {0}")
  @ValueSource(strings = {"0001-01-01T00:00:00Z", "9999-11-01T00:00:00Z"})
  void theLongestRetentionWorksWithAClockAtEitherEndOfTheCalendar(String now) {
    Instant at = Instant.parse(now);
    InMemoryWalletStore store = InMemoryWalletStore.builder().idempotencyRecordsFor(Duration.ofDays(36_525))
        .clock(Clock.fixed(at, ZoneOffset.UTC)).build();
    CreditGate gate = CreditGate.builder(store).build();
    gate.openWallet(ADA, ZoneOffset.UTC, at);

    gate.charge(ADA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), at);
    gate.charge(ADA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), at);

    assertEquals(Credits.of(28), gate.status(ADA, at).available(), "charged once, the key kept");
  }
}
