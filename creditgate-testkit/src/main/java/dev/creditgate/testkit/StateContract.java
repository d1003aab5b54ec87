package dev.creditgate.testkit;

import static dev.creditgate.testkit.Fixtures.T0;
import static dev.creditgate.testkit.Fixtures.ZONE;
import static dev.creditgate.testkit.Fixtures.assertLedgerMatchesWallet;
import static dev.creditgate.testkit.Fixtures.assertStored;
import static dev.creditgate.testkit.Fixtures.key;
import static dev.creditgate.testkit.Fixtures.ledger;
import static dev.creditgate.testkit.Fixtures.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.CreditGateBuilder;
import dev.creditgate.UsageReport;
import dev.creditgate.WalletStatus;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletStore;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Wallet states: opaque to a store, and kept verbatim. A store must guarantee:
 *
 * <ul>
 *   <li><b>Verbatim states:</b> the state {@code load} returns has the same
 *       {@link dev.creditgate.spi.WalletState#encoded() encoded} text as the state last committed,
 *       for every wallet the gate can make (packs, holds, members with caps, debt, refunds, a
 *       scheduled plan change; any account id; instants to the nanosecond). A store that keeps
 *       the text reads it back with {@link dev.creditgate.spi.WalletState#ofEncoded}.
 *   <li><b>The gate reads it as written:</b> a gate over the store reports the same status and
 *       usage as a gate that holds the committed state itself.
 *   <li><b>Each account has its own state.</b>
 * </ul>
 */
public interface StateContract extends StoreFixture {

  /**
   * A history that writes every kind of ledger entry (pack and custom top-ups, holds, an adjustment,
   * refunds, a payment reversal, an upgrade, team members with a cap, a scheduled downgrade, a debt within an overdraft),
   * for an account id with non-ASCII characters, is committed step by step: after each commit the store
   * returns that state verbatim and a gate over the store reports the status of a gate that holds the
   * state itself; at the end the usage, the ledger and every record read back as written.
   */
  @Test
  default void everyStateOfARichWalletsHistoryReadsBackVerbatim() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("team:alice/ä ✓");
    AccountId bob = AccountId.of("bob");
    AccountId carol = AccountId.of("carol");
    Instant at = T0.plusNanos(1);
    Instant end = at.plusSeconds(30);
    UnaryOperator<CreditGateBuilder> overdraft = b -> b.overdraft(OverdraftPolicy.downTo(Credits.of(5)));
    AtomicReference<WalletStatus> withPacks = new AtomicReference<>();
    AtomicReference<WalletStatus> last = new AtomicReference<>();
    AtomicReference<UsageReport> usage = new AtomicReference<>();

    List<Commit> history = Changes.all(alice, Optional.empty(), overdraft, gate -> {
      gate.openWallet(alice, ZONE, at);
      gate.topUp(alice, "small", key("p1"), at.plusSeconds(1));
      gate.topUpCustom(alice, Money.usd("7.50"), key("p2"), at.plusSeconds(2));
      gate.reserve(alice, Operation.GENERATE_IMAGE, 1, key("hold-1"), at.plusSeconds(3));
      gate.reserve(alice, Operation.AI_CHAT_MESSAGE, 3_333, key("hold-2"), at.plusSeconds(3).plusNanos(7));
      gate.adjust(alice, Credits.parse("0.125"), "goodwill ✓", key("adj-1"), at.plusSeconds(4));
      gate.refundPack(alice, key("p1"), Credits.parse("10.5"), key("refund-p1"), at.plusSeconds(4));
      withPacks.set(gate.status(alice, at.plusSeconds(4)));
      gate.reversePack(alice, key("p2"), key("chargeback-p2"), at.plusSeconds(4).plusNanos(1));

      gate.changePlan(alice, "team", key("up"), at.plusSeconds(5));
      gate.addMember(alice, bob, key("add-bob"), at.plusSeconds(6));
      gate.addMember(alice, carol, key("add-carol"), at.plusSeconds(6));
      gate.setMemberCap(alice, bob, Optional.of(Credits.of(50)), key("cap-bob"), at.plusSeconds(7));
      gate.charge(alice, bob, Operation.GENERATE_IMAGE, 2, key("img-1"), at.plusSeconds(8));
      gate.charge(alice, Operation.AI_CHAT_MESSAGE, 2_500, key("chat-1"), at.plusSeconds(9));
      gate.refundCharge(alice, key("img-1"), Credits.of(1), key("refund-1"), at.plusSeconds(10));
      gate.capture(alice, key("hold-2"), 2_000, Outcome.succeeded(), key("cap-2"), at.plusSeconds(11));
      gate.release(alice, key("hold-1"), key("rel-1"), at.plusSeconds(11));
      gate.reserve(alice, bob, Operation.GENERATE_IMAGE, 1, key("hold-3"), at.plusSeconds(12));
      gate.changePlan(alice, "pro", key("down"), at.plusSeconds(13));
      // Everything available and a bit more: the overdraft leaves a debt.
      long available = gate.status(alice, at.plusSeconds(14)).available().thousandths();
      long images = (available + Credits.of(5).thousandths()) / Credits.of(2).thousandths();
      gate.charge(alice, Operation.GENERATE_IMAGE, images, key("all-in"), at.plusSeconds(14));
      last.set(gate.status(alice, end));
      usage.set(gate.usage(alice, end));
    });
    // The history made the wallet this test is about.
    assertTrue(withPacks.get().packLots().stream().map(WalletStatus.PackLot::pack).toList()
        .containsAll(List.of("small", "custom")), "packs: " + withPacks.get());
    assertTrue(withPacks.get().held().isPositive());
    WalletStatus rich = last.get();
    assertTrue(rich.debt().isPositive(), "debt: " + rich);
    assertTrue(rich.held().isPositive(), "held: " + rich);
    assertNotEquals(rich.plan(), rich.renewalPlan());
    assertEquals(2, usage.get().members().size());
    Set<LedgerEntry.Kind> kinds = EnumSet.noneOf(LedgerEntry.Kind.class);
    Changes.entriesOf(history).forEach(e -> kinds.add(e.kind()));
    assertEquals(EnumSet.allOf(LedgerEntry.Kind.class), kinds);

    CreditGate gate = CreditGate.builder(store).overdraft(OverdraftPolicy.downTo(Credits.of(5))).build();
    for (Commit commit : history) {
      assertTrue(store.commit(commit), "commit from version " + commit.expectedVersion());
      assertStored(store, alice, commit.expectedVersion() + 1, commit.state());
      assertEquals(Changes.statusOf(alice, commit.state(), end), gate.status(alice, end),
          "status after the commit from version " + commit.expectedVersion());
    }
    assertEquals(rich, gate.status(alice, end));
    assertEquals(usage.get(), gate.usage(alice, end));
    assertEquals(Changes.entriesOf(history), ledger(store, alice));
    for (Commit commit : history) {
      for (IdempotencyRecord record : commit.records()) {
        assertEquals(Optional.of(record), store.findRecord(alice, record.key()));
      }
    }
    assertLedgerMatchesWallet(store, alice, end);
  }

  /**
   * Two accounts whose ids differ only by a trailing space keep their own states, versions and ledgers,
   * and a gate over the store reports each its own balance.
   */
  @Test
  default void eachAccountReadsBackItsOwnState() {
    WalletStore store = storeUnderTest();
    AccountId alice = AccountId.of("alice");
    AccountId spaced = AccountId.of("alice ");
    StoredWallet alices = open(store, alice);
    Commit opening = Changes.opening(spaced, T0.plusSeconds(1));
    assertTrue(store.commit(opening));
    Commit topUp = Changes.topUp(spaced, Fixtures.loaded(store, spaced), "pay-1", T0.plusSeconds(2));
    assertTrue(store.commit(topUp));

    assertStored(store, alice, 1, alices.state());
    assertStored(store, spaced, 2, topUp.state());
    assertNotEquals(alices.state().encoded(), topUp.state().encoded());
    CreditGate gate = CreditGate.builder(store).build();
    assertEquals(alice, gate.status(alice, T0.plusSeconds(3)).account());
    assertEquals(spaced, gate.status(spaced, T0.plusSeconds(3)).account());
    assertEquals(Credits.of(30), gate.status(alice, T0.plusSeconds(3)).available());
    assertEquals(Credits.of(130), gate.status(spaced, T0.plusSeconds(3)).available());
    assertEquals(1, ledger(store, alice).size());
  }
}
