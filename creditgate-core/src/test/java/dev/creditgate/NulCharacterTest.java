package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ids may hold any text every store keeps exactly: everything but U+0000 (PostgreSQL's text cannot
 * hold it) and lone surrogates (a UTF-8 store writes them as {@code ?}, so <code>pay-&#92;uD800</code> and
 * <code>pay-&#92;uDC00</code> would become one payment). A surrogate pair, such as an emoji, is kept.
 */
class NulCharacterTest {
  @Test
  void anAccountIdWithANulCharacterIsRejectedNamingTheCharacter() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> AccountId.of("ali\u0000ce"));
    assertTrue(e.getMessage().contains("U+0000") && e.getMessage().contains("'ali\\u0000ce'"), e.getMessage());
    assertEquals("ali\u0000ce", e.value().orElseThrow());
  }

  @Test
  void anIdempotencyKeyWithANulCharacterIsRejected() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> IdempotencyKey.of("pay\u00001"));
    assertTrue(e.getMessage().contains("U+0000") && e.getMessage().contains("index 3"), e.getMessage());
  }

  /** Every id type of the gate and the catalog, built from one text. */
  static Stream<Arguments> idTypes() {
    Money free = Money.usd("0");
    return Stream.of(
        id("account id", AccountId::of),
        id("idempotency key", IdempotencyKey::of),
        id("operation id", Operation::of),
        id("plan id", text -> new Plan(text, "Plan", free, Credits.of(1), 1, Set.of())),
        id("plan name", text -> new Plan("plan", text, free, Credits.of(1), 1, Set.of())),
        id("plan 'plan' feature", text -> new Plan("plan", "Plan", free, Credits.of(1), 1, Set.of(text))),
        id("plan 'plan' limit name", text -> new Plan("plan", "Plan", free, Credits.of(1), Set.of(), Map.of(text, 3L))),
        id("pack id", text -> new Pack(text, "Pack", free, Credits.of(1))),
        id("pack name", text -> new Pack("pack", text, free, Credits.of(1))),
        id("retryOf", text -> new Outcome(Outcome.Kind.RETRY, text)));
  }

  private static Arguments id(String argument, Consumer<String> factory) {
    return Arguments.argumentSet(argument, argument, factory);
  }

  @ParameterizedTest
  @MethodSource("idTypes")
  void aNulCharacterIsRejectedByEveryIdType(String argument, Consumer<String> factory) {
    rejects(argument, factory, "pay-\u00001", "U+0000", "'pay-\\u00001'", 4);
  }

  @ParameterizedTest
  @MethodSource("idTypes")
  void aLoneHighSurrogateAtTheEndIsRejectedByEveryIdType(String argument, Consumer<String> factory) {
    rejects(argument, factory, "pay-\uD800", "U+D800", "'pay-\\uD800'", 4);
  }

  @ParameterizedTest
  @MethodSource("idTypes")
  void aLoneLowSurrogateIsRejectedByEveryIdType(String argument, Consumer<String> factory) {
    rejects(argument, factory, "pay-\uDC00", "U+DC00", "'pay-\\uDC00'", 4);
  }

  @ParameterizedTest
  @MethodSource("idTypes")
  void aHighSurrogateFollowedByAnotherCharacterIsRejectedByEveryIdType(String argument, Consumer<String> factory) {
    rejects(argument, factory, "\uD83Dx", "U+D83D", "'\\uD83Dx'", 0);
  }

  @ParameterizedTest
  @MethodSource("idTypes")
  void aPairInTheWrongOrderIsRejectedByEveryIdType(String argument, Consumer<String> factory) {
    rejects(argument, factory, "ok\uDE00\uD83D", "U+DE00", "'ok\\uDE00\\uD83D'", 2);
  }

  @ParameterizedTest
  @MethodSource("idTypes")
  void aProperSurrogatePairIsAcceptedByEveryIdType(String argument, Consumer<String> factory) {
    assertDoesNotThrow(() -> factory.accept("pay-\uD83D\uDE00"), "an emoji, U+1F600");
    assertDoesNotThrow(() -> factory.accept("\uD83D\uDE00\uD83D\uDE01"), "two emoji in a row");
  }

  @Test
  void twoEmojiIdsStayTwoIds() {
    assertNotEquals(IdempotencyKey.of("pay-\uD83D\uDE00"), IdempotencyKey.of("pay-\uD83D\uDE01"));
    assertNotEquals(AccountId.of("\uD83D\uDE00"), AccountId.of("\uD83D\uDE01"));
  }

  private static void rejects(String argument, Consumer<String> factory, String text, String character,
      String escaped, int index) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> factory.accept(text));
    String message = e.getMessage();
    assertTrue(message.startsWith(argument + " must not contain"), message);
    assertTrue(message.contains(character), "names the character: " + message);
    assertTrue(message.contains(escaped), "shows the value escaped: " + message);
    assertTrue(message.contains("at index " + index), message);
    assertEquals(argument, e.argument().orElseThrow());
    assertEquals(text, e.value().orElseThrow(), "the value as given");
    assertTrue(message.chars().noneMatch(c -> c == 0 || Character.isSurrogate((char) c)), "the message is printable");
  }
}
