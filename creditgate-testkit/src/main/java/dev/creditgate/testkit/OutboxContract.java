package dev.creditgate.testkit;

import static dev.creditgate.testkit.Fixtures.T0;
import static dev.creditgate.testkit.Fixtures.TIMEOUT_SECONDS;
import static dev.creditgate.testkit.Fixtures.key;
import static dev.creditgate.testkit.Fixtures.loaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.EventId;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.EventDelivery;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.OutboxEvent;
import dev.creditgate.spi.WalletStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The store's outbox: the events of each change, recorded in its commit, and delivered from there
 * at least once and in order. A store must guarantee:
 *
 * <ul>
 *   <li><b>Recorded with the change:</b> a commit that lands records its events, undelivered; a
 *       commit that loses records none.
 *   <li><b>In sequence order, marked exactly as reported:</b> {@link WalletStore#deliverEvents}
 *       hands an account's undelivered events over oldest first and marks delivered the ones the
 *       delivery reports, no more; what it throws marks nothing and reaches the caller.
 *   <li><b>One delivery of an account at a time:</b> while one runs, another of the same account
 *       returns 0 without handing anything over, and the running one hands over what was
 *       committed meanwhile before it ends; other accounts are not held up.
 *   <li><b>Every account:</b> the all-accounts delivery reaches every account with undelivered
 *       events, within its limit.
 * </ul>
 *
 * And through the gate: every event of every committed change reaches the sink at least once, and
 * an account's events reach it in sequence order, whatever the sink throws.
 */
public interface OutboxContract extends StoreFixture {

  /** A delivery that takes every event it is handed and keeps them. */
  final class Taking implements EventDelivery {
    final List<OutboxEvent> handed = new ArrayList<>();

    @Override
    public synchronized int deliver(List<OutboxEvent> events) {
      handed.addAll(events);
      return events.size();
    }
  }

  /** Commits {@code count} Small top-ups of {@code account}, one after the other; returns their events. */
  private static List<OutboxEvent> topUps(WalletStore store, AccountId account, String prefix, int count) {
    List<OutboxEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Commit c = Changes.topUp(account, loaded(store, account), prefix + i, T0);
      assertFalse(c.events().isEmpty(), "a top-up records its grant");
      assertTrue(store.commit(c), "top-up " + i + " of " + account);
      events.addAll(c.events());
    }
    return events;
  }

  /** Opens {@code account}'s wallet and delivers whatever its opening recorded. */
  private static void openDelivered(WalletStore store, AccountId account) {
    Fixtures.open(store, account);
    store.deliverEvents(account, new Taking(), 1_000);
  }

  private static List<EventId> ids(List<OutboxEvent> events) {
    return events.stream().map(OutboxEvent::id).toList();
  }

  /**
   * The events of three commits are handed over once, in sequence order, with their text as
   * committed; the next delivery finds none and calls nothing.
   */
  @Test
  default void aCommitsEventsAreDeliveredOnceInSequenceOrder() {
    WalletStore store = storeUnderTest();
    AccountId ada = AccountId.of("outbox-ada");
    openDelivered(store, ada);
    List<OutboxEvent> committed = topUps(store, ada, "pay-", 3);
    for (int i = 1; i < committed.size(); i++) {
      assertEquals(committed.get(i - 1).id().sequence() + 1, committed.get(i).id().sequence(),
          "sequence numbers continue from commit to commit");
    }

    Taking taking = new Taking();
    assertEquals(committed.size(), store.deliverEvents(ada, taking, 1_000));

    assertEquals(ids(committed), ids(taking.handed));
    for (int i = 0; i < committed.size(); i++) {
      assertEquals(committed.get(i).encoded(), taking.handed.get(i).encoded(), "event text kept verbatim");
    }
    assertEquals(0, store.deliverEvents(ada, events -> {
      throw new AssertionError("nothing is left to hand over: " + events);
    }, 1_000));
  }

  /** Of two commits from one version, the one that lost records no event. */
  @Test
  default void aCommitThatLostRecordsNoEvent() {
    WalletStore store = storeUnderTest();
    AccountId bo = AccountId.of("outbox-bo");
    openDelivered(store, bo);
    Commit first = Changes.topUp(bo, loaded(store, bo), "pay-a", T0);
    Commit second = Changes.topUp(bo, loaded(store, bo), "pay-b", T0);
    assertTrue(store.commit(first));
    assertFalse(store.commit(second));

    Taking taking = new Taking();
    store.deliverEvents(bo, taking, 1_000);

    assertEquals(ids(first.events()), ids(taking.handed));
  }

  /**
   * A delivery that takes only the first of three marks only it: the next hands over the other two,
   * from where it stopped. One that throws marks nothing, and its failure reaches the caller.
   */
  @Test
  default void onlyWhatTheDeliveryReportsIsMarkedDelivered() {
    WalletStore store = storeUnderTest();
    AccountId cy = AccountId.of("outbox-cy");
    openDelivered(store, cy);
    List<OutboxEvent> committed = topUps(store, cy, "pay-", 3);

    assertEquals(1, store.deliverEvents(cy, events -> 1, 1_000));
    IllegalStateException refused = new IllegalStateException("sink down");
    assertSame(refused, assertThrows(IllegalStateException.class, () -> store.deliverEvents(cy, events -> {
      throw refused;
    }, 1_000)));
    Taking taking = new Taking();
    assertEquals(2, store.deliverEvents(cy, taking, 1_000));

    assertEquals(ids(committed.subList(1, 3)), ids(taking.handed));
  }

  /** A delivery hands over at most its limit; the rest waits, in order, for the next. */
  @Test
  default void aDeliveryHandsOverAtMostItsLimit() {
    WalletStore store = storeUnderTest();
    AccountId di = AccountId.of("outbox-di");
    openDelivered(store, di);
    List<OutboxEvent> committed = topUps(store, di, "pay-", 5);

    Taking first = new Taking();
    assertEquals(2, store.deliverEvents(di, first, 2));
    Taking rest = new Taking();
    assertEquals(3, store.deliverEvents(di, rest, 1_000));

    assertEquals(ids(committed.subList(0, 2)), ids(first.handed));
    assertEquals(ids(committed.subList(2, 5)), ids(rest.handed));
  }

  /**
   * While a delivery of an account is running, another delivery of it returns 0 and hands nothing
   * over, a delivery of another account goes ahead, and an event committed meanwhile is handed over
   * by the running delivery before it ends.
   *
   * @throws Exception if the first delivery's thread fails
   */
  @Test
  default void deliveriesOfOneAccountNeverOverlap() throws Exception {
    WalletStore store = storeUnderTest();
    AccountId ed = AccountId.of("outbox-ed");
    AccountId fay = AccountId.of("outbox-fay");
    openDelivered(store, ed);
    openDelivered(store, fay);
    List<OutboxEvent> eds = topUps(store, ed, "pay-", 2);
    topUps(store, fay, "pay-", 1);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> store.deliverEvents(ed, events -> {
      inside.countDown();
      try {
        assertTrue(release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "released");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      return events.size();
    }, 1_000));
    try {
      assertTrue(inside.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the first delivery started");
      assertEquals(0, store.deliverEvents(ed, events -> {
        throw new AssertionError("handed over during another delivery of the account: " + events);
      }, 1_000));
      assertEquals(1, store.deliverEvents(fay, new Taking(), 1_000), "another account is not held up");
      topUps(store, ed, "meanwhile-", 1);
      assertEquals(0, store.deliverEvents(ed, events -> {
        throw new AssertionError("handed over during another delivery of the account: " + events);
      }, 1_000), "an event committed meanwhile is left to the running delivery");
    } finally {
      release.countDown();
    }
    assertEquals(eds.size() + 1, running.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
        "the running delivery also handed over the event committed while it ran");
    assertEquals(0, store.deliverEvents(ed, new Taking(), 1_000), "nothing is left");
  }

  /** The all-accounts delivery reaches every account, each in sequence order, within its limit. */
  @Test
  default void theAllAccountsDeliveryReachesEveryAccountInOrder() {
    WalletStore store = storeUnderTest();
    Map<AccountId, List<EventId>> committed = new HashMap<>();
    for (String name : List.of("outbox-gil", "outbox-hal", "outbox-ivy")) {
      AccountId account = AccountId.of(name);
      openDelivered(store, account);
      committed.put(account, ids(topUps(store, account, "pay-", 2)));
    }

    Taking some = new Taking();
    assertEquals(3, store.deliverEvents(some, 3));
    Taking rest = new Taking();
    assertEquals(3, store.deliverEvents(rest, 1_000));
    assertEquals(0, store.deliverEvents(new Taking(), 1_000));

    Map<AccountId, List<EventId>> handed = new HashMap<>();
    for (OutboxEvent e : some.handed) {
      handed.computeIfAbsent(e.id().account(), a -> new ArrayList<>()).add(e.id());
    }
    for (OutboxEvent e : rest.handed) {
      handed.computeIfAbsent(e.id().account(), a -> new ArrayList<>()).add(e.id());
    }
    assertEquals(committed, handed);
  }

  /**
   * Through the gate, with a sink that refuses a third of what it is handed, from several threads
   * on two wallets: after the relay has run, every event of every commit reached the sink, each
   * account's in sequence order (never one before an earlier one of its account was accepted), and
   * the sequence numbers have no gap.
   *
   * @throws Exception if a thread fails
   */
  @Test
  default void throughTheGateEveryEventReachesAFlakySinkAtLeastOnceAndInOrder() throws Exception {
    WalletStore store = storeUnderTest();
    List<AccountId> accounts = List.of(AccountId.of("outbox-jo"), AccountId.of("outbox-kit"));
    List<EventId> accepted = new ArrayList<>();
    SplittableRandom seeds = new SplittableRandom(42);
    EventSink flaky = new EventSink() {
      private final SplittableRandom random = seeds.split();

      @Override
      public void publish(EventId id, WalletEvent event) {
        synchronized (accepted) {
          if (random.nextInt(3) == 0) {
            throw new IllegalStateException("sink refused " + id);
          }
          accepted.add(id);
        }
      }
    };
    CreditGate gate = CreditGate.builder(store).eventSink(flaky).build();
    for (AccountId account : accounts) {
      gate.openWallet(account, Fixtures.ZONE, T0);
    }

    Fixtures.race(8, t -> () -> {
      AccountId account = accounts.get(t % 2);
      for (int i = 0; i < 10; i++) {
        gate.topUp(account, "small", key("pay-" + t + "-" + i), T0);
      }
      return null;
    });
    // A refusal stops an account's run, so a run may deliver nothing while events wait: the relay
    // has drained the outbox once ten runs in a row delivered nothing (each does with odds 1 in 9).
    for (int idle = 0, runs = 0; idle < 10; runs++) {
      assertTrue(runs < 10_000, "the relay never drained the outbox");
      idle = gate.deliverPendingEvents(1_000) == 0 ? idle + 1 : 0;
    }
    assertEquals(0, store.deliverEvents(new Taking(), 1_000), "nothing is left undelivered");

    Map<AccountId, Long> highest = new HashMap<>();
    Set<EventId> seen = new HashSet<>();
    synchronized (accepted) {
      for (EventId id : accepted) {
        long before = highest.getOrDefault(id.account(), 0L);
        assertTrue(id.sequence() <= before + 1, () -> id + " reached the sink before event " + (before + 1)
            + " of its account");
        highest.put(id.account(), Math.max(before, id.sequence()));
        seen.add(id);
      }
    }
    for (AccountId account : accounts) {
      long last = highest.getOrDefault(account, 0L);
      // The opening's events, then 4 threads x 10 top-ups of one Small pack each.
      assertTrue(last >= 40, account + " recorded " + last + " events");
      for (long s = 1; s <= last; s++) {
        assertTrue(seen.contains(new EventId(account, s)), "event " + s + " of " + account + " reached the sink");
      }
    }
  }
}
