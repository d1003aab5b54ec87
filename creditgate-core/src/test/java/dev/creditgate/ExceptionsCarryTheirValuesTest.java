package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.SchemaMismatchException;
import dev.creditgate.spi.SchemaMissingException;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoreUnavailableException;
import dev.creditgate.spi.CommitOutcomeUnknownException;
import dev.creditgate.spi.StoreFaultException;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller acts on an exception without parsing its message: each carries the values it names, and
 * says whether the same call with the same key is worth retrying.
 */
class ExceptionsCarryTheirValuesTest {
  private static final Instant NOW = T0.plusSeconds(60);
  private static final AccountId ALICE = AccountId.of("alice");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final CreditGate gate = CreditGate.builder(store).build();

  @BeforeEach
  void open() {
    gate.openWallet(ALICE, ZoneOffset.UTC, T0);
  }

  @Test
  void anUnknownAccountNamesTheAccount() {
    UnknownAccountException e = assertThrows(UnknownAccountException.class,
        () -> gate.status(AccountId.of("ghost"), NOW));
    assertEquals(AccountId.of("ghost"), e.account());
    assertFalse(e.isRetrySafe());
  }

  @Test
  void anUnknownOperationNamesTheOperation() {
    UnknownOperationException e = assertThrows(UnknownOperationException.class,
        () -> gate.check(ALICE, Operation.of("teleport"), 1, NOW));
    assertEquals(Operation.of("teleport"), e.operation());
    assertFalse(e.isRetrySafe());
  }

  @Test
  void anUnknownPlanOrPackNamesItsKindAndId() {
    UnknownCatalogItemException plan = assertThrows(UnknownCatalogItemException.class,
        () -> gate.changePlan(ALICE, "enterprise", IdempotencyKey.of("k"), NOW));
    assertEquals(UnknownCatalogItemException.Kind.PLAN, plan.kind());
    assertEquals("enterprise", plan.id());
    assertEquals("plan 'enterprise' is not in the catalog", plan.getMessage());

    UnknownCatalogItemException pack = assertThrows(UnknownCatalogItemException.class,
        () -> gate.topUp(ALICE, "jumbo", IdempotencyKey.of("k"), NOW));
    assertEquals(UnknownCatalogItemException.Kind.PACK, pack.kind());
    assertEquals("jumbo", pack.id());
    assertFalse(pack.isRetrySafe());
  }

  @Test
  void anUnknownMemberNamesTheWalletAndTheMember() {
    UnknownMemberException e = assertThrows(UnknownMemberException.class,
        () -> gate.removeMember(ALICE, AccountId.of("stranger"), IdempotencyKey.of("k"), NOW));
    assertEquals(ALICE, e.account());
    assertEquals(AccountId.of("stranger"), e.member());
    assertFalse(e.isRetrySafe());
  }

  @Test
  void aReusedKeyNamesTheKeyAndBothRequests() {
    IdempotencyKey key = IdempotencyKey.of("img-1");
    gate.charge(ALICE, Operation.GENERATE_IMAGE, 1, key, NOW);

    IdempotencyConflictException e = assertThrows(IdempotencyConflictException.class,
        () -> gate.charge(ALICE, Operation.GENERATE_IMAGE, 2, key, NOW));

    assertEquals(key, e.key());
    assertEquals(store.findRecord(ALICE, key).orElseThrow().request(), e.firstRequest(), "the recorded request");
    assertNotEquals(e.firstRequest(), e.thisRequest());
    assertEquals(RequestCodec.encode(new Request.Charge(Operation.GENERATE_IMAGE, 2, Optional.empty())), e.thisRequest());
    assertTrue(e.getMessage().contains("quantity=1") && e.getMessage().contains("quantity=2"), e.getMessage());
    assertFalse(e.isRetrySafe(), "the same call conflicts again");
  }

  @Test
  void aHoldInTheWrongStateNamesTheHoldAndItsState() {
    HoldStateException thrown = assertThrows(HoldStateException.class,
        () -> gate.release(ALICE, IdempotencyKey.of("no-such-hold"), IdempotencyKey.of("k"), NOW));
    assertTrue(thrown.getMessage().contains("'no-such-hold'"), thrown.getMessage());
    assertFalse(thrown.isRetrySafe());

    HoldStateException notOpen = new HoldStateException(ALICE, "h-1", HoldStateException.State.NOT_OPEN);
    assertEquals("h-1", notOpen.hold());
    assertEquals(HoldStateException.State.NOT_OPEN, notOpen.state());
    assertEquals(ALICE, notOpen.account());
    assertTrue(notOpen.getMessage().startsWith("hold 'h-1' is not open in alice"), notOpen.getMessage());
    HoldStateException open = new HoldStateException(ALICE, "h-2", HoldStateException.State.OPEN);
    assertEquals("hold 'h-2' is already open in alice", open.getMessage());
  }

  @Test
  void anInvalidRequestNamesTheArgumentAndTheValue() {
    InvalidRequestException quantity = assertThrows(InvalidRequestException.class,
        () -> gate.charge(ALICE, Operation.GENERATE_IMAGE, -3, IdempotencyKey.of("k"), NOW));
    assertEquals(Optional.of("quantity"), quantity.argument());
    assertEquals(Optional.of("-3"), quantity.value());

    InvalidRequestException ttl = assertThrows(InvalidRequestException.class,
        () -> CreditGate.builder(InMemoryWalletStore.create()).holdTimeToLive(Duration.ofDays(400)));
    assertEquals(Optional.of("holdTimeToLive"), ttl.argument());
    assertEquals(Optional.of("PT9600H"), ttl.value());

    InvalidRequestException nothing = assertThrows(InvalidRequestException.class, () -> gate.status(null, NOW));
    assertEquals(Optional.of("account"), nothing.argument());
    assertEquals(Optional.empty(), nothing.value(), "the value was null");

    assertEquals(Optional.empty(), new InvalidRequestException("a catalog needs at least one plan").argument());
  }

  @Test
  void anOverflowNamesTheAmountOrTheArithmetic() {
    CreditOverflowException of = assertThrows(CreditOverflowException.class, () -> Credits.of(Long.MAX_VALUE));
    assertEquals(String.valueOf(Long.MAX_VALUE), of.value());
    Credits max = Credits.ofThousandths(Long.MAX_VALUE);
    CreditOverflowException plus = assertThrows(CreditOverflowException.class, () -> max.plus(Credits.of(1)));
    assertEquals(max + " + 1", plus.value());
    CreditOverflowException money = assertThrows(CreditOverflowException.class, () -> Money.usd("1E+30"));
    assertEquals("1E+30", money.value());
    assertFalse(money.isRetrySafe());
  }

  @Test
  void onlyStoreFailuresThatARetryWithTheSameKeyCanResolveAreSafeToRetry() {
    assertTrue(new StoreException("contended").isRetrySafe());
    assertTrue(new StoreException("failed", new IOException("reset")).isRetrySafe());
    assertTrue(new StoreUnavailableException("unreachable", new IOException("refused")).isRetrySafe());
    CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException(ALICE, "reply lost", null);
    assertTrue(unknown.isRetrySafe(), "the same key answers or applies it once");
    assertEquals(ALICE, unknown.account());
    assertFalse(new StoreFaultException("internal error", new IOException("XX000")).isRetrySafe(),
        "retrying cannot fix it");
    assertFalse(new SchemaMissingException("no tables", null).isRetrySafe(), "an operator must create them");
    assertFalse(new SchemaMismatchException("version 2", 1, 2).isRetrySafe(), "an operator must migrate them");
    assertFalse(new InvalidRequestException("bad").isRetrySafe());
    assertFalse(new CreditOverflowException("1", "overflows").isRetrySafe());
  }

  @Test
  void messagesArePrintableWhateverTheValue() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> gate.adjust(ALICE, Credits.of(1), "tab\there\u0000", IdempotencyKey.of("k"), NOW));
    assertTrue(e.getMessage().contains("'tab\\u0009here\\u0000'"), e.getMessage());
    assertEquals(Optional.of("tab\there\u0000"), e.value(), "the value as given");
    assertEquals("an emoji \uD83D\uDE00 stays, a lone \\uD800 is escaped",
        new InvalidRequestException("an emoji \uD83D\uDE00 stays, a lone \uD800 is escaped").getMessage());
  }
}
