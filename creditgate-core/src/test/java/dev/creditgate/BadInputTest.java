package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.ledger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Section 10 of the design: every public entry point rejects bad input with a typed
 * {@link CreditGateException} whose message names the bad value, and leaves the wallet (and its
 * version), the ledger and the published events exactly as they were.
 */
@DisplayName("Bad input is rejected with a typed exception and changes nothing")
class BadInputTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final Instant NOW = T0.plusSeconds(3_600);
  private static final AccountId ALICE = AccountId.of("alice");
  private static final AccountId GHOST = AccountId.of("ghost");
  private static final IdempotencyKey FRESH = IdempotencyKey.of("fresh-key");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();
  private final CreditGate gate = CreditGate.builder(store).eventSink(sink).build();

  private StoredWallet walletBefore;
  private List<LedgerEntry> ledgerBefore;
  private TopUp firstTopUp;
  private Decision firstCharge;

  /** alice has a history: opened on Free, one image generated ("img-1"), one Small pack ("pay-1"). */
  @BeforeEach
  void aliceWithHistory() {
    gate.openWallet(ALICE, UTC, T0);
    firstCharge = gate.charge(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), T0.plusSeconds(60));
    firstTopUp = gate.topUp(ALICE, "small", IdempotencyKey.of("pay-1"), T0.plusSeconds(120));
    assertTrue(firstCharge.isAllowed());
    walletBefore = store.load(ALICE).orElseThrow();
    ledgerBefore = ledger(store, ALICE);
    sink.clear();
  }

  /**
   * Runs {@code call}, asserts it throws exactly {@code type} with a message containing every
   * {@code named} fragment, and that nothing changed anywhere.
   */
  private <T extends CreditGateException> T rejects(Class<T> type, Executable call, String... named) {
    T thrown = assertThrows(type, call);
    assertEquals(type, thrown.getClass(), "exactly " + type.getSimpleName());
    for (String fragment : named) {
      assertTrue(thrown.getMessage().contains(fragment),
          "message should name '" + fragment + "' but was: " + thrown.getMessage());
    }
    assertNothingChanged();
    return thrown;
  }

  private void assertNothingChanged() {
    assertEquals(walletBefore, store.load(ALICE).orElseThrow(), "alice's wallet and version unchanged");
    assertEquals(ledgerBefore, ledger(store, ALICE), "alice's ledger unchanged");
    assertTrue(store.load(GHOST).isEmpty(), "no wallet appeared for ghost");
    assertEquals(List.of(), ledger(store, GHOST));
    assertEquals(List.of(), sink.events, "no event published");
  }

  // -----------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("Null arguments")
  class Nulls {

    static Stream<Arguments> nullCalls() {
      // Each case: a name, the call (against a gate passed in), the message fragment.
      return Stream.of(
          nullCase("openWallet: null account", g -> g.openWallet(null, UTC, NOW), "account must not be null"),
          nullCase("openWallet: null zone", g -> g.openWallet(AccountId.of("bob"), null, NOW), "zone must not be null"),
          nullCase("openWallet: null time", g -> g.openWallet(AccountId.of("bob"), UTC, null), "at must not be null"),
          nullCase("status: null account", g -> g.status(null, NOW), "account must not be null"),
          nullCase("status: null time", g -> g.status(ALICE, null), "at must not be null"),
          nullCase("check: null account", g -> g.check(null, Operation.GENERATE_IMAGE, 1, NOW), "account must not be null"),
          nullCase("check: null operation", g -> g.check(ALICE, null, 1, NOW), "operation must not be null"),
          nullCase("check: null time", g -> g.check(ALICE, Operation.GENERATE_IMAGE, 1, null), "at must not be null"),
          nullCase("charge: null account", g -> g.charge(null, Operation.GENERATE_IMAGE, 1, FRESH, NOW), "account must not be null"),
          nullCase("charge: null operation", g -> g.charge(ALICE, null, 1, FRESH, NOW), "operation must not be null"),
          nullCase("charge: null key", g -> g.charge(ALICE, Operation.GENERATE_IMAGE, 1, null, NOW), "key must not be null"),
          nullCase("charge of a free operation: null key", g -> g.charge(ALICE, Operation.PUBLISH_UPDATE, 1, null, NOW), "key must not be null"),
          nullCase("charge: null time", g -> g.charge(ALICE, Operation.GENERATE_IMAGE, 1, FRESH, null), "at must not be null"),
          nullCase("topUp: null account", g -> g.topUp(null, "small", FRESH, NOW), "account must not be null"),
          nullCase("topUp: null pack", g -> g.topUp(ALICE, null, FRESH, NOW), "pack id must not be null"),
          nullCase("topUp: null payment id", g -> g.topUp(ALICE, "small", null, NOW), "payment id must not be null"),
          nullCase("topUp: null time", g -> g.topUp(ALICE, "small", FRESH, null), "at must not be null"),
          nullCase("topUpCustom: null account", g -> g.topUpCustom(null, Money.usd("10"), FRESH, NOW), "account must not be null"),
          nullCase("topUpCustom: null price", g -> g.topUpCustom(ALICE, null, FRESH, NOW), "price must not be null"),
          nullCase("topUpCustom: null payment id", g -> g.topUpCustom(ALICE, Money.usd("10"), null, NOW), "payment id must not be null"),
          nullCase("topUpCustom: null time", g -> g.topUpCustom(ALICE, Money.usd("10"), FRESH, null), "at must not be null"),
          nullCase("changePlan: null account", g -> g.changePlan(null, "pro", FRESH, NOW), "account must not be null"),
          nullCase("changePlan: null plan", g -> g.changePlan(ALICE, null, FRESH, NOW), "plan id must not be null"),
          nullCase("changePlan: null key", g -> g.changePlan(ALICE, "pro", null, NOW), "key must not be null"),
          nullCase("changePlan: null time", g -> g.changePlan(ALICE, "pro", FRESH, null), "at must not be null"));
    }

    private static Arguments nullCase(String name, GateCall call, String fragment) {
      return Arguments.argumentSet(name, call, fragment);
    }

    @ParameterizedTest
    @MethodSource("nullCalls")
    void nullArgument(GateCall call, String fragment) {
      rejects(InvalidRequestException.class, () -> call.on(gate), fragment);
      assertTrue(store.load(AccountId.of("bob")).isEmpty());
    }
  }

  /** A call against the gate under test. */
  @FunctionalInterface
  interface GateCall {
    void on(CreditGate gate);
  }

  // -----------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("Quantities")
  class Quantities {

    @Test
    @DisplayName("A negative metered quantity (-1 tokens)")
    void negativeMetered() {
      rejects(InvalidRequestException.class,
          () -> gate.charge(ALICE, Operation.AI_CHAT_MESSAGE, -1, FRESH, NOW), "quantity", "-1");
    }

    @Test
    @DisplayName("A negative fixed quantity (-3 images) on check")
    void negativeFixedOnCheck() {
      rejects(InvalidRequestException.class,
          () -> gate.check(ALICE, Operation.GENERATE_IMAGE, -3, NOW), "quantity", "-3");
    }

    @Test
    @DisplayName("A negative quantity of a free operation")
    void negativeFree() {
      rejects(InvalidRequestException.class,
          () -> gate.charge(ALICE, Operation.EXPORT_DATA, -7, FRESH, NOW), "quantity", "-7");
    }

    @Test
    @DisplayName("Zero images: a fixed-cost operation needs a positive quantity")
    void zeroImages() {
      rejects(InvalidRequestException.class,
          () -> gate.charge(ALICE, Operation.GENERATE_IMAGE, 0, FRESH, NOW), "quantity", "was 0");
    }

    @Test
    @DisplayName("Zero integrations on check")
    void zeroIntegrationsOnCheck() {
      rejects(InvalidRequestException.class,
          () -> gate.check(ALICE, Operation.CONNECT_INTEGRATION, 0, NOW), "quantity", "was 0");
    }

    @Test
    @DisplayName("A metered quantity whose cost is beyond the range overflows")
    void meteredOverflow() {
      CreditOverflowException e = assertThrows(CreditOverflowException.class,
          () -> dev.creditgate.model.Cost.metered(Credits.ZERO, Credits.of(1000), 1).of(Long.MAX_VALUE));
      assertTrue(e.getMessage().contains(String.valueOf(Long.MAX_VALUE)), e.getMessage());
    }

    @Test
    @DisplayName("Long.MAX_VALUE tokens cost a finite, exact amount and are denied, not an error")
    void hugeMeteredQuantityIsDenied() {
      Decision d = gate.charge(ALICE, Operation.AI_CHAT_MESSAGE, Long.MAX_VALUE, FRESH, NOW);
      assertFalse(d.isAllowed());
      assertEquals(Credits.parse("922337203685477.681"), d.cost());
    }

    @Test
    @DisplayName("A fixed quantity of Long.MAX_VALUE images overflows")
    void fixedOverflow() {
      rejects(CreditOverflowException.class,
          () -> gate.check(ALICE, Operation.GENERATE_IMAGE, Long.MAX_VALUE, NOW),
          String.valueOf(Long.MAX_VALUE));
    }
  }

  @Nested
  @DisplayName("Unknown names")
  class Unknowns {

    @Test
    @DisplayName("An unknown operation on charge")
    void unknownOperationOnCharge() {
      UnknownOperationException e = rejects(UnknownOperationException.class,
          () -> gate.charge(ALICE, Operation.of("teleport"), 1, FRESH, NOW), "teleport");
      assertEquals(Operation.of("teleport"), e.operation());
    }

    @Test
    @DisplayName("An unknown operation on check")
    void unknownOperationOnCheck() {
      rejects(UnknownOperationException.class, () -> gate.check(ALICE, Operation.of("teleport"), 1, NOW), "teleport");
    }

    @Test
    @DisplayName("An unknown account on charge")
    void unknownAccountOnCharge() {
      UnknownAccountException e = rejects(UnknownAccountException.class,
          () -> gate.charge(GHOST, Operation.GENERATE_IMAGE, 1, FRESH, NOW), "ghost");
      assertEquals(GHOST, e.account());
    }

    @Test
    @DisplayName("An unknown account on charge of a free operation")
    void unknownAccountOnFreeCharge() {
      rejects(UnknownAccountException.class, () -> gate.charge(GHOST, Operation.SHARE_APP, 1, FRESH, NOW), "ghost");
    }

    @Test
    @DisplayName("An unknown account on check")
    void unknownAccountOnCheck() {
      rejects(UnknownAccountException.class, () -> gate.check(GHOST, Operation.GENERATE_IMAGE, 1, NOW), "ghost");
    }

    @Test
    @DisplayName("An unknown account on status")
    void unknownAccountOnStatus() {
      rejects(UnknownAccountException.class, () -> gate.status(GHOST, NOW), "ghost");
    }

    @Test
    @DisplayName("An unknown account on topUp")
    void unknownAccountOnTopUp() {
      rejects(UnknownAccountException.class, () -> gate.topUp(GHOST, "small", FRESH, NOW), "ghost");
    }

    @Test
    @DisplayName("An unknown account on topUpCustom")
    void unknownAccountOnTopUpCustom() {
      rejects(UnknownAccountException.class, () -> gate.topUpCustom(GHOST, Money.usd("10"), FRESH, NOW), "ghost");
    }

    @Test
    @DisplayName("An unknown account on changePlan")
    void unknownAccountOnChangePlan() {
      rejects(UnknownAccountException.class, () -> gate.changePlan(GHOST, "pro", FRESH, NOW), "ghost");
    }

    @Test
    @DisplayName("An unknown pack")
    void unknownPack() {
      rejects(UnknownCatalogItemException.class, () -> gate.topUp(ALICE, "jumbo", FRESH, NOW), "jumbo");
    }

    @Test
    @DisplayName("An unknown plan")
    void unknownPlan() {
      rejects(UnknownCatalogItemException.class, () -> gate.changePlan(ALICE, "enterprise", FRESH, NOW), "enterprise");
    }
  }

  @Nested
  @DisplayName("Custom pack prices")
  class CustomPrices {

    @Test
    @DisplayName("Below the minimum ($4.99 < $5)")
    void belowMinimum() {
      rejects(InvalidRequestException.class, () -> gate.topUpCustom(ALICE, Money.usd("4.99"), FRESH, NOW), "$4.99");
    }

    @Test
    @DisplayName("Above the maximum ($1000.01 > $1000)")
    void aboveMaximum() {
      rejects(InvalidRequestException.class,
          () -> gate.topUpCustom(ALICE, Money.usd("1000.01"), FRESH, NOW), "$1000.01");
    }

    @Test
    @DisplayName("Zero dollars")
    void zero() {
      rejects(InvalidRequestException.class, () -> gate.topUpCustom(ALICE, Money.usd("0"), FRESH, NOW), "$0.00");
    }

    @Test
    @DisplayName("A negative price: Money itself is never negative")
    void negative() {
      rejects(InvalidRequestException.class, () -> gate.topUpCustom(ALICE, Money.usd("-10"), FRESH, NOW), "'-10'");
    }

    @Test
    @DisplayName("The wrong currency (EUR for a USD catalog)")
    void wrongCurrency() {
      rejects(InvalidRequestException.class,
          () -> gate.topUpCustom(ALICE, Money.of("10", "EUR"), FRESH, NOW), "EUR");
    }

    @Test
    @DisplayName("A price with more decimals than the currency has")
    void tooManyCents() {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Money.of("10.001", "USD"));
      assertTrue(e.getMessage().contains("10.001"), e.getMessage());
    }

    @Test
    @DisplayName("A currency code that is not ISO 4217")
    void unknownCurrency() {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Money.of("10", "XQZ"));
      assertTrue(e.getMessage().contains("XQZ"), e.getMessage());
    }
  }

  @Nested
  @DisplayName("Reused idempotency keys")
  class ReusedKeys {

    @Test
    @DisplayName("A charge key reused with another quantity")
    void chargeOtherQuantity() {
      rejects(IdempotencyConflictException.class,
          () -> gate.charge(ALICE, Operation.GENERATE_IMAGE, 2, IdempotencyKey.of("img-1"), NOW), "img-1");
      assertEquals(firstCharge,
          gate.charge(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img-1"), NOW), "the first result stands");
    }

    @Test
    @DisplayName("A charge key reused for another operation")
    void chargeOtherOperation() {
      rejects(IdempotencyConflictException.class,
          () -> gate.charge(ALICE, Operation.CONNECT_INTEGRATION, 1, IdempotencyKey.of("img-1"), NOW), "img-1");
    }

    @Test
    @DisplayName("A payment id reused for another pack")
    void paymentOtherPack() {
      rejects(IdempotencyConflictException.class,
          () -> gate.topUp(ALICE, "medium", IdempotencyKey.of("pay-1"), NOW), "pay-1");
      assertEquals(firstTopUp, gate.topUp(ALICE, "small", IdempotencyKey.of("pay-1"), NOW), "the first result stands");
    }

    @Test
    @DisplayName("A payment id reused for a custom pack")
    void paymentForCustom() {
      rejects(IdempotencyConflictException.class,
          () -> gate.topUpCustom(ALICE, Money.usd("10"), IdempotencyKey.of("pay-1"), NOW), "pay-1");
    }

    @Test
    @DisplayName("A payment id reused as a charge key")
    void paymentAsChargeKey() {
      rejects(IdempotencyConflictException.class,
          () -> gate.charge(ALICE, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("pay-1"), NOW), "pay-1");
    }

    @Test
    @DisplayName("A charge key reused for a plan change")
    void chargeKeyForPlanChange() {
      rejects(IdempotencyConflictException.class,
          () -> gate.changePlan(ALICE, "pro", IdempotencyKey.of("img-1"), NOW), "img-1");
    }
  }

  @Nested
  @DisplayName("Amounts that would overflow")
  class Overflow {

    @Test
    @DisplayName("Credits.of(Long.MAX_VALUE)")
    void creditsOfMax() {
      CreditOverflowException e = assertThrows(CreditOverflowException.class, () -> Credits.of(Long.MAX_VALUE));
      assertTrue(e.getMessage().contains(String.valueOf(Long.MAX_VALUE)), e.getMessage());
    }

    @Test
    @DisplayName("Credits.parse of a number beyond the range")
    void parseBeyondRange() {
      CreditOverflowException e = assertThrows(CreditOverflowException.class,
          () -> Credits.parse("9223372036854775.808"));
      assertTrue(e.getMessage().contains("9223372036854775.808"), e.getMessage());
    }

    @Test
    @DisplayName("A time beyond the year 9999")
    void timeBeyondRange() {
      rejects(InvalidRequestException.class,
          () -> gate.check(ALICE, Operation.GENERATE_IMAGE, 1, Instant.MAX), Instant.MAX.toString());
    }

    @Test
    @DisplayName("Credits.parse and Money.of of a huge exponent")
    void hugeExponent() {
      CreditOverflowException c = assertThrows(CreditOverflowException.class,
          () -> Credits.parse("1E+2147483647"));
      assertTrue(c.getMessage().contains("1E+2147483647"), c.getMessage());
      CreditOverflowException m = assertThrows(CreditOverflowException.class,
          () -> Money.of("1E+2147483647", "USD"));
      assertTrue(m.getMessage().contains("1E+2147483647"), m.getMessage());
    }

    @Test
    @DisplayName("Adding one credit to the largest amount")
    void plusOverflows() {
      Credits max = Credits.ofThousandths(Long.MAX_VALUE);
      CreditOverflowException e = assertThrows(CreditOverflowException.class, () -> max.plus(Credits.of(1)));
      assertTrue(e.getMessage().contains(max.toString()), e.getMessage());
    }

    @Test
    @DisplayName("A top-up that would take the wallet past the range")
    void topUpPastTheRange() {
      Credits whale = Credits.ofThousandths(Long.MAX_VALUE);
      Catalog catalog = Catalog.builder()
          .plan(new Plan("free", "Free", Money.usd("0"), Credits.of(30), 1, Set.of()))
          .pack(new Pack("small", "Small", Money.usd("10"), Credits.of(100)))
          .pack(new Pack("whale", "Whale", Money.usd("1000000"), whale))
          .build();
      InMemoryWalletStore own = InMemoryWalletStore.create();
      CreditGate g = CreditGate.builder(own).catalog(catalog).build();
      AccountId bob = AccountId.of("bob");
      g.openWallet(bob, UTC, T0);
      StoredWallet before = own.load(bob).orElseThrow();
      List<LedgerEntry> ledger = ledger(own, bob);

      CreditOverflowException e = assertThrows(CreditOverflowException.class,
          () -> g.topUp(bob, "whale", IdempotencyKey.of("p"), NOW));

      assertTrue(e.getMessage().contains(whale.toString()), e.getMessage());
      assertEquals(before, own.load(bob).orElseThrow());
      assertEquals(ledger, ledger(own, bob));
      assertEquals(Credits.of(130), g.topUp(bob, "small", IdempotencyKey.of("p"), NOW).balanceAfter(),
          "not even the key was recorded");
    }
  }

  @Nested
  @DisplayName("Malformed text")
  class MalformedText {

    private void parseRejects(String text) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Credits.parse(text));
      assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    @DisplayName("Credits.parse(\"1.0001\"): four decimals, the unit is 0.001")
    void tooManyDecimals() {
      parseRejects("1.0001");
    }

    @Test
    @DisplayName("Credits.parse(\"1e-4\"): a tenth of the unit in exponent form")
    void exponentBelowUnit() {
      parseRejects("1e-4");
    }

    @Test
    @DisplayName("Credits.parse(\"ten\"): not a number")
    void notANumber() {
      parseRejects("ten");
    }

    private void tableRejects(String properties, String... named) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> CostTable.fromProperties(new StringReader(properties)));
      for (String fragment : named) {
        assertTrue(e.getMessage().contains(fragment), "should name '" + fragment + "': " + e.getMessage());
      }
    }

    @Test
    @DisplayName("Cost table: a fixed cost that is not a number")
    void costNotANumber() {
      tableRejects("generate-image = two\n", "generate-image", "two");
    }

    @Test
    @DisplayName("Cost table: a fixed cost with four decimals")
    void costTooPrecise() {
      tableRejects("generate-image = 0.0005\n", "generate-image", "0.0005");
    }

    @Test
    @DisplayName("Cost table: a negative fixed cost")
    void costNegative() {
      tableRejects("generate-image = -2\n", "generate-image", "-2");
    }

    @Test
    @DisplayName("Cost table: a zero fixed cost (free must say 'free')")
    void costZero() {
      tableRejects("generate-image = 0\n", "generate-image", "'0'");
    }

    @Test
    @DisplayName("Cost table: a metered cost without '+'")
    void meteredWithoutPlus() {
      tableRejects("ai-chat-message = metered 0.1 plus 0.1 per 1000\n", "ai-chat-message", "plus");
    }

    @Test
    @DisplayName("Cost table: a metered cost with a block size that is not a number")
    void meteredBlockNotANumber() {
      tableRejects("ai-chat-message = metered 0.1 + 0.1 per lots\n", "ai-chat-message", "lots");
    }

    @Test
    @DisplayName("Cost table: a metered cost with a zero block size")
    void meteredZeroBlock() {
      tableRejects("ai-chat-message = metered 0.1 + 0.1 per 0\n", "ai-chat-message", "per 0");
    }

    @Test
    @DisplayName("Cost table: a metered cost missing its block size")
    void meteredTruncated() {
      tableRejects("ai-chat-message = metered 0.1 + 0.1 per\n", "ai-chat-message");
    }

    @Test
    @DisplayName("Cost table: an empty cost")
    void emptyCost() {
      tableRejects("generate-image =\n", "generate-image");
    }

    @Test
    @DisplayName("Cost table: an operation id with a comma")
    void operationWithComma() {
      tableRejects("a,b = 1\n", "a,b");
    }
  }

  @Nested
  @DisplayName("Malformed names and settings")
  class MalformedNames {

    @Test
    @DisplayName("A blank account id")
    void blankAccount() {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> AccountId.of("  "));
      assertTrue(e.getMessage().contains("'  '"), e.getMessage());
    }

    @Test
    @DisplayName("An idempotency key longer than 200 characters")
    void longKey() {
      String key = "k".repeat(201);
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> IdempotencyKey.of(key));
      assertTrue(e.getMessage().contains(key), "names the key");
    }

    @Test
    @DisplayName("A warning threshold above 100%")
    void warningAbove100() {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> CreditGate.builder(InMemoryWalletStore.create()).warnAt(20, 120).build());
      assertTrue(e.getMessage().contains("120"), e.getMessage());
    }

    @Test
    @DisplayName("A negative overdraft floor")
    void negativeOverdraft() {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> OverdraftPolicy.downTo(Credits.of(-5)));
      assertTrue(e.getMessage().contains("-5"), e.getMessage());
    }

    @Test
    @DisplayName("A hold time-to-live of zero")
    void zeroHoldTimeToLive() {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> CreditGate.builder(InMemoryWalletStore.create()).holdTimeToLive(java.time.Duration.ZERO));
      assertTrue(e.getMessage().contains("PT0S"), e.getMessage());
    }
  }
}
