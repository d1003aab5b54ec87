package dev.creditgate;

import static dev.creditgate.GateTestKit.ledger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.model.Rollover;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Rollover of unused subscription credits (docs/model.md, "Rollover"): off by default; up to a cap
 * in credits or in percent of the allowance; a promotional grant {@code rollover:<period start>}
 * that expires at the end of the next period; only the last period's credits roll when several
 * renewals pass at once.
 */
class RolloverTest {
  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
  private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant JUNE = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant JULY = Instant.parse("2026-07-01T00:00:00Z");

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();
  private int keys;

  private IdempotencyKey key() {
    return IdempotencyKey.of("k" + ++keys);
  }

  /** The default plans and a Small pack, Free (30 credits) with {@code rollover}. */
  static Catalog catalog(Rollover rollover) {
    return Catalog.builder()
        .plan(new Plan("free", "Free", Money.usd("0"), Credits.of(30), 1, Set.of()).withRollover(rollover))
        .plan(new Plan("pro", "Pro", Money.usd("20"), Credits.of(150), 1, Set.of()))
        .pack(new Pack("small", "Small", Money.usd("10"), Credits.of(100)))
        .build();
  }

  private CreditGate gate(Rollover rollover) {
    return CreditGate.builder(store).eventSink(sink).catalog(catalog(rollover)).build();
  }

  /** Opens Maya on Free on 1 April and spends {@code credits} (thousandths) with an adjustment. */
  private CreditGate openAndSpend(CreditGate gate, String credits) {
    gate.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    if (!credits.equals("0")) {
      gate.adjust(MAYA, Credits.parse("-" + credits), "spend", key(), APRIL.plusSeconds(60));
    }
    return gate;
  }

  private List<String> entriesAt(Instant at) {
    return ledger(store, MAYA).stream().filter(e -> e.at().equals(at))
        .map(e -> e.kind() + " " + e.grant() + " " + e.amount()).collect(Collectors.toList());
  }

  @Test
  void offByDefaultTheUnusedCreditsExpire() {
    assertFalse(Catalog.defaults().plan("free").rollover().isEnabled());
    CreditGate gate = CreditGate.builder(store).eventSink(sink).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    WalletStatus may = gate.status(MAYA, MAY);
    assertEquals(List.of(), may.promotions());
    assertEquals(Credits.of(30), may.balance());
  }

  @Test
  void unusedCreditsRollUpToTheCapAsAGrantThatExpiresAtTheEndOfTheNextPeriod() {
    CreditGate gate = openAndSpend(gate(Rollover.upTo(Credits.of(20))), "5"); // 25 unused
    WalletStatus may = gate.status(MAYA, MAY);
    assertEquals(List.of(Credits.of(30), Credits.of(20), Credits.of(50)),
        List.of(may.subscription(), may.promotionCredits(), may.balance()));
    WalletStatus.PromotionLot lot = may.promotions().get(0);
    assertEquals(List.of("rollover:" + MAY, JUNE, Credits.of(20)), List.of(lot.grant(), lot.expiresAt(), lot.remaining()));
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key(), MAY.plusSeconds(1)); // the write records it
    assertEquals(List.of("EXPIRY subscription -25", "GRANT subscription 30", "GRANT rollover:" + MAY + " 20"),
        entriesAt(MAY));
    assertEquals(new WalletEvent.PromotionGranted(MAYA, MAY, "rollover:" + MAY, Credits.of(20), JUNE, "rollover",
        List.of(), 0), sink.of(WalletEvent.PromotionGranted.class).get(0));
    // One nanosecond before June it is still there; at June what is left of it expires.
    assertEquals(Credits.of(20), gate.status(MAYA, JUNE.minusNanos(1)).promotionCredits());
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key(), JUNE.plusSeconds(1));
    assertTrue(entriesAt(JUNE).contains("EXPIRY rollover:" + MAY + " -20"), entriesAt(JUNE).toString());
    assertEquals(Credits.of(20), sink.of(WalletEvent.PromotionExpired.class).get(0).credits());
    assertTrue(gate.replay(MAYA).isConsistent());
  }

  @Test
  void theCapInCreditsAtItsBoundaries() {
    assertEquals(Credits.of(20), rolledOver(Rollover.upTo(Credits.of(20)), "10"), "exactly the cap");
    assertEquals(Credits.parse("19.999"), rolledOver(Rollover.upTo(Credits.of(20)), "10.001"), "under it");
    assertEquals(Credits.of(20), rolledOver(Rollover.upTo(Credits.of(20)), "9.999"), "over it: capped");
    assertEquals(Credits.ZERO, rolledOver(Rollover.upTo(Credits.of(20)), "30"), "nothing unused");
  }

  @Test
  void theCapInPercentIsExactAndRoundedDown() {
    assertEquals(Credits.of(15), rolledOver(Rollover.upToPercent(50), "0"));
    assertEquals(Credits.parse("9.9"), rolledOver(Rollover.upToPercent(33), "0"));
    assertEquals(Credits.of(30), rolledOver(Rollover.upToPercent(100), "0"));
    assertEquals(Credits.parse("0.3"), rolledOver(Rollover.upToPercent(1), "0"));
    assertEquals(Credits.parse("0.001"), Rollover.upToPercent(1).capFor(Credits.parse("0.199")));
    assertEquals(Credits.ZERO, Rollover.upToPercent(1).capFor(Credits.parse("0.099")));
  }

  private Credits rolledOver(Rollover rollover, String spent) {
    InMemoryWalletStore own = InMemoryWalletStore.create();
    CreditGate gate = CreditGate.builder(own).catalog(catalog(rollover)).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    if (!spent.equals("0")) {
      gate.adjust(MAYA, Credits.parse("-" + spent), "spend", key(), APRIL.plusSeconds(60));
    }
    return gate.status(MAYA, MAY).promotionCredits();
  }

  @Test
  void theNewAllowanceIsSpentFirstAndTheRolloverBeforePacks() {
    CreditGate gate = openAndSpend(gate(Rollover.upTo(Credits.of(20))), "10");
    gate.topUp(MAYA, "small", key(), APRIL.plusSeconds(120));
    gate.adjust(MAYA, Credits.of(-40), "spend", IdempotencyKey.of("may-spend"), MAY.plusSeconds(1));
    assertEquals(List.of("ADJUSTMENT subscription -30", "ADJUSTMENT rollover:" + MAY + " -10"),
        ledger(store, MAYA).stream().filter(e -> e.key().equals("may-spend"))
            .map(e -> e.kind() + " " + e.grant() + " " + e.amount()).collect(Collectors.toList()));
    // Under PACKS_FIRST the rollover, a promotion, still comes before packs; the subscription last.
    InMemoryWalletStore other = InMemoryWalletStore.create();
    CreditGate packsFirst = CreditGate.builder(other).catalog(catalog(Rollover.upTo(Credits.of(20))))
        .spendOrder(SpendOrder.PACKS_FIRST).build();
    packsFirst.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    packsFirst.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("img"), MAY.plusSeconds(1));
    assertEquals(List.of("rollover:" + MAY + " -2"), ledger(other, MAYA).stream()
        .filter(e -> e.key().equals("img")).map(e -> e.grant() + " " + e.amount()).collect(Collectors.toList()));
  }

  @Test
  void whenSeveralRenewalsPassAtOnceOnlyTheLastPeriodsCreditsRoll() {
    CreditGate gate = openAndSpend(gate(Rollover.upTo(Credits.of(20))), "25"); // April leaves 5
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key(), JULY.plusSeconds(1)); // May and June slept
    assertEquals(List.of("rollover:" + JULY), gate.status(MAYA, JULY.plusSeconds(1)).promotions().stream()
        .map(WalletStatus.PromotionLot::grant).collect(Collectors.toList()));
    assertTrue(ledger(store, MAYA).stream().noneMatch(e -> e.grant().equals("rollover:" + MAY)
        || e.grant().equals("rollover:" + JUNE)), "no rollover into the periods slept through");
    assertEquals(Credits.of(20 + 30 - 2), gate.status(MAYA, JULY.plusSeconds(1)).balance(),
        "June's whole 30 were unused: 20 roll");
    assertTrue(gate.replay(MAYA).isConsistent());
  }

  @Test
  void onlySubscriptionCreditsRollNotWhatIsLeftOfARollover() {
    CreditGate gate = openAndSpend(gate(Rollover.upTo(Credits.of(20))), "0");
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key(), MAY.plusSeconds(1)); // 2 of May's 30
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key(), JUNE.plusSeconds(1));
    WalletStatus june = gate.status(MAYA, JUNE.plusSeconds(1));
    assertEquals(List.of("rollover:" + JUNE), june.promotions().stream().map(WalletStatus.PromotionLot::grant)
        .collect(Collectors.toList()));
    assertEquals(Credits.of(20), june.promotionCredits(), "May's 28 unused, capped at 20; May's rollover expired");
  }

  @Test
  void theExpiryWarningComesALeadTimeBeforeRolledOverCreditsExpire() {
    CreditGate gate = CreditGate.builder(store).eventSink(sink).catalog(catalog(Rollover.upTo(Credits.of(20))))
        .warnBeforeExpiry(Duration.ofDays(3)).build();
    gate.openWallet(MAYA, ZoneOffset.UTC, APRIL);
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key(), MAY.plusSeconds(1));
    assertEquals(List.of(), sink.of(WalletEvent.PromotionExpiring.class));
    Instant lead = JUNE.minus(Duration.ofDays(3));
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key(), lead.minusNanos(1));
    assertEquals(List.of(), sink.of(WalletEvent.PromotionExpiring.class), "one nanosecond before the lead");
    gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, key(), lead);
    assertEquals(List.of(new WalletEvent.PromotionExpiring(MAYA, lead, "rollover:" + MAY, Credits.of(20), JUNE)),
        sink.of(WalletEvent.PromotionExpiring.class));
  }

  @Test
  void aRolloverIsRefusedNamingItsBadCap() {
    InvalidRequestException zero = assertThrows(InvalidRequestException.class, () -> Rollover.upTo(Credits.ZERO));
    assertEquals("maxCredits", zero.argument().orElseThrow());
    assertThrows(InvalidRequestException.class, () -> Rollover.upTo(Credits.parse("-0.001")));
    assertThrows(InvalidRequestException.class, () -> Rollover.upTo(null));
    InvalidRequestException none = assertThrows(InvalidRequestException.class, () -> Rollover.upToPercent(0));
    assertEquals(List.of("maxPercent", "0"), List.of(none.argument().orElseThrow(), none.value().orElseThrow()));
    assertTrue(assertThrows(InvalidRequestException.class, () -> Rollover.upToPercent(101)).getMessage()
        .contains("101"));
    assertThrows(InvalidRequestException.class, () -> new Rollover(Credits.of(1), 1));
    assertThrows(InvalidRequestException.class, () -> new Rollover(Credits.ZERO, -1));
    assertThrows(InvalidRequestException.class, () -> Catalog.defaults().plan("free").withRollover(null));
    assertEquals(Rollover.NONE, new Rollover(Credits.ZERO, 0));
    assertEquals(Credits.ZERO, Rollover.NONE.capFor(Credits.of(30)));
    assertTrue(Rollover.upTo(Credits.parse("0.001")).isEnabled() && Rollover.upToPercent(100).isEnabled());
    assertEquals(LedgerEntry.Kind.GRANT, LedgerEntry.Kind.valueOf("GRANT"));
  }
}
