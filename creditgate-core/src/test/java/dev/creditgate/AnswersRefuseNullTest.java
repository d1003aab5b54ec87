package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.Meter;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The answers a host may build itself (in its tests, or reading them back) refuse a null by name. */
class AnswersRefuseNullTest {
  private static final Instant AT = Instant.parse("2026-03-02T08:00:00Z");
  private static final Credits ONE = Credits.of(1);

  static Stream<Arguments> nulls() {
    return Stream.of(
        Arguments.of("operation", (Executable) () -> new Decision.Allowed(null, 1, ONE, ONE, ONE, Meter.OK)),
        Arguments.of("cost", (Executable) () -> new Decision.Allowed(Operation.GENERATE_IMAGE, 1, null, ONE, ONE, Meter.OK)),
        Arguments.of("meter", (Executable) () -> new Decision.Allowed(Operation.GENERATE_IMAGE, 1, ONE, ONE, ONE, null)),
        Arguments.of("membersToRemove", (Executable) () -> new PlanChange("team", "pro", false, AT, ONE, null)),
        Arguments.of("members", (Executable) () -> new UsageReport(AccountId.of("a"), "team", AT, AT, null)),
        Arguments.of("byOperation", (Executable) () -> new MemberUsage(AccountId.of("b"), Optional.empty(), ONE, null)),
        Arguments.of("differences", (Executable) () -> new LedgerReplay(AccountId.of("a"), 0, ONE, ONE, ONE, ONE, null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nulls")
  void aNullIsRefusedWithATypedExceptionNamingIt(String argument, Executable construction) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, construction);
    assertEquals(Optional.of(argument), e.argument());
  }
}
