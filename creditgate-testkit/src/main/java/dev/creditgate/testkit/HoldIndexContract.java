package dev.creditgate.testkit;

import static dev.creditgate.testkit.Fixtures.HOLD_TIME;
import static dev.creditgate.testkit.Fixtures.T0;
import static dev.creditgate.testkit.Fixtures.key;
import static dev.creditgate.testkit.Fixtures.loaded;
import static dev.creditgate.testkit.Fixtures.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.CreditGateBuilder;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Outcome;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.WalletStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The index of open holds that {@link WalletStore#accountsWithHoldsExpiredBy} searches, and the
 * gate's sweep relies on. A store must guarantee:
 *
 * <ul>
 *   <li><b>Every commit sets it:</b> an account is indexed by the {@link Commit#nextHoldExpiry()}
 *       of its last commit, and not at all when that is empty, whatever the commit before said.
 *   <li><b>To the nanosecond:</b> the search returns the accounts whose next hold expiry is at or
 *       before the instant asked, and no other.
 *   <li><b>At most {@code limit}</b> accounts, each once.
 * </ul>
 */
public interface HoldIndexContract extends StoreFixture {

  /**
   * Of accounts whose hold expires a minute before, exactly at and one nanosecond after an instant, and
   * one without a hold, the search at each boundary returns exactly the accounts due by then; it
   * returns at most {@code limit} accounts, none twice, and no longer lists an account once its hold is
   * released.
   */
  @Test
  default void accountsWithExpiredHoldsAreFoundToTheNanosecond() {
    WalletStore store = storeUnderTest();
    Instant expiry = T0.plus(Duration.ofMinutes(10)).plusNanos(500);
    AccountId early = AccountId.of("early");
    AccountId exact = AccountId.of("exact");
    AccountId late = AccountId.of("late");
    AccountId none = AccountId.of("none");
    holdUntil(store, early, expiry.minusSeconds(60));
    holdUntil(store, exact, expiry);
    holdUntil(store, late, expiry.plusNanos(1));
    open(store, none);

    assertEquals(Set.of(), found(store, expiry.minusSeconds(60).minusNanos(1), 10));
    assertEquals(Set.of(early), found(store, expiry.minusSeconds(60), 10));
    assertEquals(Set.of(early), found(store, expiry.minusNanos(1), 10));
    assertEquals(Set.of(early, exact), found(store, expiry, 10));
    assertEquals(Set.of(early, exact, late), found(store, expiry.plusNanos(1), 10));
    assertEquals(Set.of(early, exact, late), found(store, Fixtures.FAR_FUTURE, 10));
    List<AccountId> limited = store.accountsWithHoldsExpiredBy(expiry.plusSeconds(1), 2);
    assertEquals(2, limited.size());
    assertEquals(2, Set.copyOf(limited).size());
    assertTrue(Set.of(early, exact, late).containsAll(limited));
    assertEquals(1, store.accountsWithHoldsExpiredBy(expiry.plusSeconds(1), 1).size());

    // Closing the hold takes the account off the list.
    assertTrue(store.commit(change(store, early,
        gate -> gate.release(early, key("h"), key("rel"), T0.plus(Duration.ofMinutes(6))))));
    assertEquals(Set.of(exact), found(store, expiry, 10));
    assertEquals(Set.of(exact, late), found(store, Fixtures.FAR_FUTURE, 10));
  }

  /**
   * An account is indexed by its earliest open hold, through a second reserve and through a commit that
   * leaves the holds alone; releasing that hold indexes it by the next one's expiry, and capturing the
   * last one takes it off the index.
   */
  @Test
  default void theIndexFollowsTheEarliestOpenHoldOfEachCommit() {
    WalletStore store = storeUnderTest();
    AccountId busy = AccountId.of("busy");
    open(store, busy);
    Instant first = T0.plus(HOLD_TIME);
    Instant second = T0.plusSeconds(60).plus(HOLD_TIME);
    Commit h1 = change(store, busy, gate -> gate.reserve(busy, Operation.GENERATE_IMAGE, 1, key("h1"), T0));
    assertEquals(Optional.of(first), h1.nextHoldExpiry());
    assertTrue(store.commit(h1));
    Commit h2 = change(store, busy,
        gate -> gate.reserve(busy, Operation.GENERATE_IMAGE, 2, key("h2"), T0.plusSeconds(60)));
    assertEquals(Optional.of(first), h2.nextHoldExpiry());
    assertTrue(store.commit(h2));
    assertEquals(Set.of(), found(store, first.minusNanos(1), 10));
    assertEquals(Set.of(busy), found(store, first, 10));

    // A commit that leaves the holds as they were keeps the account indexed.
    assertTrue(store.commit(Changes.topUp(busy, loaded(store, busy), "pay-1", T0.plusSeconds(61))));
    assertEquals(Set.of(busy), found(store, first, 10));

    // Releasing the earliest hold moves the account to the next one.
    assertTrue(store.commit(change(store, busy,
        gate -> gate.release(busy, key("h1"), key("rel-1"), T0.plusSeconds(62)))));
    assertEquals(Set.of(), found(store, first, 10));
    assertEquals(Set.of(), found(store, second.minusNanos(1), 10));
    assertEquals(Set.of(busy), found(store, second, 10));

    // Capturing the last one takes it off the index.
    Commit captured = change(store, busy, gate -> gate.capture(busy, key("h2"), 2, Outcome.succeeded(),
        key("cap-2"), T0.plusSeconds(63)));
    assertEquals(Optional.empty(), captured.nextHoldExpiry());
    assertTrue(store.commit(captured));
    assertEquals(List.of(), store.accountsWithHoldsExpiredBy(Fixtures.FAR_FUTURE, 10));
    assertFalse(CreditGate.builder(store).build().status(busy, T0.plusSeconds(64)).held().isPositive());
  }

  private static Set<AccountId> found(WalletStore store, Instant at, int limit) {
    List<AccountId> found = store.accountsWithHoldsExpiredBy(at, limit);
    assertEquals(found.size(), Set.copyOf(found).size(), "an account was listed twice: " + found);
    return Set.copyOf(found);
  }

  /** Opens {@code account} and commits one hold of it that expires at {@code expiresAt}. */
  private static void holdUntil(WalletStore store, AccountId account, Instant expiresAt) {
    open(store, account);
    Commit held = change(store, account,
        gate -> gate.reserve(account, Operation.GENERATE_IMAGE, 1, key("h"), expiresAt.minus(HOLD_TIME)));
    assertEquals(Optional.of(expiresAt), held.nextHoldExpiry());
    assertTrue(store.commit(held));
  }

  /** The one commit {@code change} makes from {@code account}'s wallet, holds open {@link Fixtures#HOLD_TIME}. */
  private static Commit change(WalletStore store, AccountId account, Consumer<CreditGate> change) {
    UnaryOperator<CreditGateBuilder> settings = b -> b.holdTimeToLive(HOLD_TIME);
    return Changes.one(account, Optional.of(loaded(store, account)), settings, change);
  }
}
