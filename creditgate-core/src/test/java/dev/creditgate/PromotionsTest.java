package dev.creditgate;

import static dev.creditgate.GateTestKit.T0;
import static dev.creditgate.GateTestKit.ledger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.Promotion;
import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Promotional grants (docs/model.md, "Promotional grants"): their place in the spend order, their
 * scope, their priority, their expiry (with holds open over it), their revocation, and what they
 * never do (repay a debt, back a hold with scoped credits).
 */
class PromotionsTest {
  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant IN_TWO_WEEKS = T0.plus(Duration.ofDays(14));

  private final InMemoryWalletStore store = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();
  private final CreditGate gate = CreditGate.builder(store).eventSink(sink).build();

  private static IdempotencyKey key(String value) {
    return IdempotencyKey.of(value);
  }

  private static Credits c(String text) {
    return Credits.parse(text);
  }

  /** The DEBIT entries of the charge {@code key}: grant name and amount, in order. */
  private List<String> debits(String key) {
    return ledger(store, MAYA).stream().filter(e -> e.key().equals(key) && e.kind() == LedgerEntry.Kind.DEBIT)
        .map(e -> e.grant() + " " + e.amount()).collect(Collectors.toList());
  }

  private void open() {
    gate.openWallet(MAYA, ZoneOffset.UTC, T0);
  }

  @Test
  void aWelcomeBonusIsSpentAfterTheSubscriptionCreditsAndBeforePacks() {
    open();
    gate.topUp(MAYA, "small", key("pay-1"), T0.plusSeconds(10));
    BalanceChange granted = gate.grantPromotion(MAYA, Credits.of(20), IN_TWO_WEEKS, "welcome bonus", key("welcome"),
        T0.plusSeconds(20));
    assertEquals(new BalanceChange("promo:welcome", Credits.of(20), Credits.of(150), granted.meter()), granted);
    // 30 subscription + 20 welcome + 5 of the pack: 11 integrations at 5 each.
    assertTrue(gate.charge(MAYA, Operation.CONNECT_INTEGRATION, 11, key("big"), T0.plusSeconds(30)).isAllowed());
    assertEquals(List.of("subscription -30", "promo:welcome -20", "pack:pay-1 -5"), debits("big"));
    WalletStatus status = gate.status(MAYA, T0.plusSeconds(40));
    assertEquals(List.of(), status.promotions(), "a spent promotion leaves the wallet");
    assertEquals(Credits.of(95), status.packs());
    assertTrue(gate.replay(MAYA).isConsistent());
  }

  @Test
  void underPacksFirstPromotionsStillGoBeforePacksAndTheSubscriptionComesLast() {
    CreditGate packsFirst = CreditGate.builder(store).spendOrder(SpendOrder.PACKS_FIRST).build();
    packsFirst.openWallet(MAYA, ZoneOffset.UTC, T0);
    packsFirst.topUp(MAYA, "small", key("pay-1"), T0.plusSeconds(10));
    packsFirst.grantPromotion(MAYA, Credits.of(20), IN_TWO_WEEKS, "welcome bonus", key("welcome"), T0.plusSeconds(20));
    assertTrue(packsFirst.charge(MAYA, Operation.CONNECT_INTEGRATION, 25, key("huge"), T0.plusSeconds(30)).isAllowed());
    assertEquals(List.of("promo:welcome -20", "pack:pay-1 -100", "subscription -5"), debits("huge"));
  }

  @Test
  void aScopedImageOnlyGrantIsNeverTakenByAChatMessageAndAChatDenialsShortfallIgnoresIt() {
    open();
    gate.grantPromotion(MAYA, Promotion.of(Credits.of(10), IN_TWO_WEEKS, "image launch")
        .scopedTo(Operation.GENERATE_IMAGE), key("images"), T0.plusSeconds(10));
    assertEquals(Credits.of(40), gate.status(MAYA, T0.plusSeconds(11)).available());
    // A 100k-token feature costs 10.1; ten of them would take all 30 subscription credits and more.
    for (int i = 0; i < 2; i++) {
      assertTrue(gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 100_000, key("chat-" + i), T0.plusSeconds(20 + i))
          .isAllowed());
    }
    assertEquals(List.of("subscription -10.1"), debits("chat-0"));
    // 9.8 subscription credits left for chat; the 10 image credits do not count.
    Decision denied = gate.charge(MAYA, Operation.AI_CHAT_MESSAGE, 100_000, key("chat-2"), T0.plusSeconds(30));
    Decision.Denied d = assertInstanceOf(Decision.Denied.class, denied);
    assertEquals(c("9.8"), d.balanceBefore());
    assertEquals(c("0.3"), d.shortfall());
    assertEquals("small", d.waysOut().topUp().smallestPack().orElseThrow().id());
    // Images may still spend both: 9.8 subscription and then 10 of the promotion (2 each, 9 images = 18).
    Decision images = gate.charge(MAYA, Operation.GENERATE_IMAGE, 9, key("img"), T0.plusSeconds(40));
    assertEquals(c("19.8"), images.balanceBefore());
    assertEquals(List.of("subscription -9.8", "promo:images -8.2"), debits("img"));
    assertEquals(c("1.8"), gate.status(MAYA, T0.plusSeconds(50)).promotionCredits());
    assertFalse(gate.check(MAYA, Operation.AI_CHAT_MESSAGE, 0, T0.plusSeconds(50)).isAllowed());
    assertTrue(gate.replay(MAYA).isConsistent());
  }

  @Test
  void promotionsAreSpentByPriorityZeroFirstThenTheSoonestExpiry() {
    open();
    gate.adjust(MAYA, c("-30"), "start from nothing", key("empty"), T0.plusSeconds(1));
    gate.grantPromotion(MAYA, Promotion.of(Credits.of(5), IN_TWO_WEEKS.plusSeconds(1), "later, default priority"),
        key("b-late"), T0.plusSeconds(10));
    gate.grantPromotion(MAYA, Promotion.of(Credits.of(5), IN_TWO_WEEKS, "sooner, default priority"), key("a-soon"),
        T0.plusSeconds(20));
    gate.grantPromotion(MAYA, Promotion.of(Credits.of(5), IN_TWO_WEEKS.plusSeconds(99), "support").withPriority(0),
        key("c-first"), T0.plusSeconds(30));
    gate.grantPromotion(MAYA, Promotion.of(Credits.of(5), T0.plusSeconds(3_600), "last").withPriority(100),
        key("d-last"), T0.plusSeconds(40));
    assertEquals(List.of("promo:c-first", "promo:a-soon", "promo:b-late", "promo:d-last"),
        gate.status(MAYA, T0.plusSeconds(50)).promotions().stream().map(WalletStatus.PromotionLot::grant)
            .collect(Collectors.toList()));
    assertTrue(gate.charge(MAYA, Operation.CONNECT_INTEGRATION, 4, key("all"), T0.plusSeconds(60)).isAllowed());
    assertEquals(List.of("promo:c-first -5", "promo:a-soon -5", "promo:b-late -5", "promo:d-last -5"), debits("all"));
  }

  @Test
  void unusedPromotionalCreditsExpireAtTheirTimeWithAnExpiryEntryAndAnEvent() {
    open();
    gate.grantPromotion(MAYA, Credits.of(20), IN_TWO_WEEKS, "welcome bonus", key("welcome"), T0.plusSeconds(10));
    assertEquals(1, sink.of(WalletEvent.PromotionGranted.class).size());
    gate.charge(MAYA, Operation.CONNECT_INTEGRATION, 7, key("seven"), T0.plusSeconds(20)); // 30 + 5 of it
    assertEquals(Credits.of(15), gate.status(MAYA, IN_TWO_WEEKS.minusNanos(1)).promotionCredits());
    WalletStatus at = gate.status(MAYA, IN_TWO_WEEKS);
    assertEquals(List.of(), at.promotions(), "expired at its time exactly, read without a write");
    assertEquals(Credits.ZERO, at.available());
    assertFalse(ledger(store, MAYA).stream().anyMatch(e -> e.kind() == LedgerEntry.Kind.EXPIRY), "a read writes nothing");
    // The next write records the expiry, dated at the grant's expiry, however late it comes.
    gate.topUp(MAYA, "small", key("pay-1"), IN_TWO_WEEKS.plusSeconds(3_600));
    List<LedgerEntry> expiries = ledger(store, MAYA).stream().filter(e -> e.kind() == LedgerEntry.Kind.EXPIRY)
        .collect(Collectors.toList());
    assertEquals(List.of(new LedgerEntry(MAYA, IN_TWO_WEEKS, LedgerEntry.Kind.EXPIRY, "promo:welcome", c("-15"), "",
        "")), expiries);
    assertEquals(List.of(new WalletEvent.PromotionExpired(MAYA, IN_TWO_WEEKS, "promo:welcome", Credits.of(15))),
        sink.of(WalletEvent.PromotionExpired.class));
    // Conservation per grant: granted 20 = spent 5 + expired 15 + remaining 0.
    assertEquals(Credits.ZERO, ledger(store, MAYA).stream().filter(e -> e.grant().equals("promo:welcome"))
        .map(LedgerEntry::amount).reduce(Credits.ZERO, Credits::plus));
    assertTrue(gate.replay(MAYA).isConsistent());
  }

  @Test
  void aRevocationIsBoundedByWhatRemainsOfThePromotion() {
    open();
    gate.grantPromotion(MAYA, Credits.of(10), IN_TWO_WEEKS, "referral", key("ref"), T0.plusSeconds(10));
    gate.charge(MAYA, Operation.CONNECT_INTEGRATION, 7, key("seven"), T0.plusSeconds(20)); // 30 + 5 of it
    InvalidRequestException tooMuch = assertThrows(InvalidRequestException.class,
        () -> gate.revokePromotion(MAYA, key("ref"), c("5.001"), key("revoke-1"), T0.plusSeconds(30)));
    assertTrue(tooMuch.getMessage().contains("at most what remains of it (5)"), tooMuch.getMessage());
    BalanceChange revoked = gate.revokePromotion(MAYA, key("ref"), Credits.of(5), key("revoke-2"), T0.plusSeconds(40));
    assertEquals(new BalanceChange("promo:ref", Credits.of(-5), Credits.ZERO, revoked.meter()), revoked);
    assertEquals(revoked, gate.revokePromotion(MAYA, key("ref"), Credits.of(5), key("revoke-2"), T0.plusSeconds(50)),
        "a repeat answers the first result");
    assertThrows(InvalidRequestException.class,
        () -> gate.revokePromotion(MAYA, key("ref"), c("0.001"), key("revoke-3"), T0.plusSeconds(60)));
    // An expired promotion has nothing left to revoke.
    gate.grantPromotion(MAYA, Credits.of(3), T0.plusSeconds(100), "short", key("short"), T0.plusSeconds(70));
    assertThrows(InvalidRequestException.class,
        () -> gate.revokePromotion(MAYA, key("short"), Credits.of(1), key("revoke-4"), T0.plusSeconds(100)));
    assertTrue(gate.replay(MAYA).isConsistent());
  }

  @Test
  void aGrantIsIdempotentByItsKeyAndTheSameKeyForAnotherPromotionConflicts() {
    open();
    Promotion welcome = Promotion.of(Credits.of(20), IN_TWO_WEEKS, "welcome bonus");
    BalanceChange first = gate.grantPromotion(MAYA, welcome, key("welcome"), T0.plusSeconds(10));
    assertEquals(first, gate.grantPromotion(MAYA, welcome, key("welcome"), T0.plusSeconds(20)));
    assertEquals(1, gate.status(MAYA, T0.plusSeconds(30)).promotions().size());
    assertThrows(IdempotencyConflictException.class,
        () -> gate.grantPromotion(MAYA, welcome.withPriority(1), key("welcome"), T0.plusSeconds(40)));
    InvalidRequestException late = assertThrows(InvalidRequestException.class,
        () -> gate.grantPromotion(MAYA, Credits.of(1), T0.plusSeconds(50), "late", key("late"), T0.plusSeconds(50)));
    assertTrue(late.getMessage().contains("must expire after"), late.getMessage());
  }

  @Test
  void aPromotionNeverRepaysADebt() {
    CreditGate overdraft = CreditGate.builder(store).overdraft(OverdraftPolicy.downTo(Credits.of(10))).build();
    overdraft.openWallet(MAYA, ZoneOffset.UTC, T0);
    assertTrue(overdraft.charge(MAYA, Operation.CONNECT_INTEGRATION, 7, key("over"), T0.plusSeconds(10)).isAllowed());
    assertEquals(Credits.of(5), overdraft.status(MAYA, T0.plusSeconds(11)).debt());
    overdraft.grantPromotion(MAYA, Credits.of(20), IN_TWO_WEEKS, "welcome bonus", key("welcome"), T0.plusSeconds(20));
    WalletStatus status = overdraft.status(MAYA, T0.plusSeconds(21));
    assertEquals(Credits.of(5), status.debt());
    assertEquals(Credits.of(20), status.promotionCredits());
    assertEquals(Credits.of(15), status.available());
    assertTrue(overdraft.replay(MAYA).isConsistent());
  }

  @Test
  void aHoldNeverReservesScopedCreditsButItsCaptureMaySpendThem() {
    open();
    gate.grantPromotion(MAYA, Promotion.of(Credits.of(10), IN_TWO_WEEKS, "image launch")
        .scopedTo(Operation.GENERATE_IMAGE), key("images"), T0.plusSeconds(10));
    // 20 images cost 40: a charge may spend 30 + 10, a reserve only the 30 every operation shares.
    assertTrue(gate.check(MAYA, Operation.GENERATE_IMAGE, 20, T0.plusSeconds(20)).isAllowed());
    Decision.Denied denied = assertInstanceOf(Decision.Denied.class,
        gate.reserve(MAYA, Operation.GENERATE_IMAGE, 20, key("hold-20"), T0.plusSeconds(20)));
    assertEquals(Credits.of(30), denied.balanceBefore());
    assertTrue(gate.reserve(MAYA, Operation.GENERATE_IMAGE, 15, key("hold-15"), T0.plusSeconds(30)).isAllowed());
    // The held 30 are reserved from the subscription; a chat message finds nothing left to spend.
    assertFalse(gate.check(MAYA, Operation.AI_CHAT_MESSAGE, 0, T0.plusSeconds(40)).isAllowed());
    // An image charge now spends the scoped credits, never the held ones.
    assertTrue(gate.charge(MAYA, Operation.GENERATE_IMAGE, 2, key("img-2"), T0.plusSeconds(50)).isAllowed());
    assertEquals(List.of("promo:images -4"), debits("img-2"));
    // The capture of 18 images (36) takes the hold's 30 and 6 of the promotion.
    HoldSettlement s = gate.capture(MAYA, key("hold-15"), 18, Outcome.succeeded(), key("cap"), T0.plusSeconds(60));
    assertEquals(Credits.of(36), s.charged());
    assertEquals(Credits.ZERO, gate.status(MAYA, T0.plusSeconds(70)).balance());
    assertTrue(gate.replay(MAYA).isConsistent());
  }

  @Test
  void aPromotionExpiringUnderAHoldExpiresWholeTheHoldKeepsWhatOtherCreditsCoverAndIsCutBackBeyond() {
    open();
    gate.adjust(MAYA, c("-26"), "leave 4 of the subscription", key("trim"), T0.plusSeconds(1));
    Instant expiry = T0.plusSeconds(300);
    gate.grantPromotion(MAYA, Credits.of(10), expiry, "short welcome", key("welcome"), T0.plusSeconds(10));
    // 6 images (12): held from the 4 subscription credits and 8 of the welcome promotion.
    assertTrue(gate.reserve(MAYA, Operation.GENERATE_IMAGE, 6, key("hold"), T0.plusSeconds(20)).isAllowed());
    // At the expiry all 10 of the promotion expire; the hold keeps the 4 the subscription covers.
    WalletStatus after = gate.status(MAYA, expiry);
    assertEquals(Credits.of(4), after.held());
    assertEquals(Credits.of(4), after.balance());
    HoldSettlement s = gate.capture(MAYA, key("hold"), 6, Outcome.succeeded(), key("cap"), expiry.plusSeconds(1));
    assertEquals(Credits.of(12), s.due());
    assertEquals(Credits.of(4), s.charged(), "the capture takes only what is left: the expired credits are never spent");
    List<LedgerEntry> atExpiry = ledger(store, MAYA).stream().filter(e -> e.at().equals(expiry))
        .collect(Collectors.toList());
    assertEquals(List.of(new LedgerEntry(MAYA, expiry, LedgerEntry.Kind.EXPIRY, "promo:welcome", c("-10"), "", ""),
        new LedgerEntry(MAYA, expiry, LedgerEntry.Kind.RELEASE, "hold", c("-8"), "generate-image", "")), atExpiry);
    assertTrue(gate.replay(MAYA).isConsistent());
  }

  @Test
  void aHoldOverAnExpiryStaysWholeWhenOtherCreditsCoverItAndItsCaptureTakesFromThem() {
    open();
    Instant expiry = T0.plusSeconds(300);
    gate.grantPromotion(MAYA, Credits.of(10), expiry, "short welcome", key("welcome"), T0.plusSeconds(10));
    assertTrue(gate.reserve(MAYA, Operation.GENERATE_IMAGE, 5, key("hold"), T0.plusSeconds(20)).isAllowed());
    gate.topUp(MAYA, "small", key("pay-1"), T0.plusSeconds(30));
    HoldSettlement s = gate.capture(MAYA, key("hold"), 5, Outcome.succeeded(), key("cap"), expiry.plusSeconds(1));
    assertEquals(Credits.of(10), s.charged());
    assertEquals(List.of(), ledger(store, MAYA).stream()
        .filter(e -> e.grant().equals("promo:welcome") && e.kind() == LedgerEntry.Kind.CAPTURE)
        .collect(Collectors.toList()), "never spent after its expiry");
    assertEquals(List.of("subscription -10"), ledger(store, MAYA).stream().filter(e -> e.key().equals("cap")
        && e.kind() == LedgerEntry.Kind.CAPTURE).map(e -> e.grant() + " " + e.amount()).collect(Collectors.toList()));
    assertEquals(Credits.of(120), gate.status(MAYA, expiry.plusSeconds(2)).available());
    assertTrue(gate.replay(MAYA).isConsistent());
  }

  @Test
  void theHoldSweepExpiresAPromotionDueBesideAnExpiredHold() {
    CreditGate shortHolds = CreditGate.builder(store).holdTimeToLive(Duration.ofMinutes(1)).build();
    shortHolds.openWallet(MAYA, ZoneOffset.UTC, T0);
    shortHolds.grantPromotion(MAYA, Credits.of(5), T0.plusSeconds(90), "tiny", key("tiny"), T0.plusSeconds(1));
    shortHolds.reserve(MAYA, Operation.GENERATE_IMAGE, 1, key("hold"), T0.plusSeconds(2));
    assertEquals(1, shortHolds.expireHolds(T0.plusSeconds(120)));
    assertEquals(List.of("promo:tiny -5"), ledger(store, MAYA).stream().filter(e -> e.kind() == LedgerEntry.Kind.EXPIRY)
        .map(e -> e.grant() + " " + e.amount()).collect(Collectors.toList()));
  }
}
