package dev.creditgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.GateTestKit.RecordingSink;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.CommitOutcomeUnknownException;
import dev.creditgate.spi.ForwardingWalletStore;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.RetryPolicy;
import dev.creditgate.spi.SchemaMismatchException;
import dev.creditgate.spi.SchemaMissingException;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoreUnavailableException;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.UnreadableWalletException;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.store.memory.InMemoryWalletStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gate owns the retry of a store's failures: an attempt that failed with a retry-safe
 * {@link StoreException}, or lost a race, is tried again from a fresh read within the store's one
 * {@link RetryPolicy} (attempts and a deadline, shared by faults and lost races); any other failure
 * reaches the caller at once. A commit that landed although its store reported that its outcome is
 * unknown (a lost {@code COMMIT} reply) is answered from its key's record, never applied twice,
 * and its events are still delivered; if the record cannot be read either, the caller learns that
 * the call may have been applied. Each test runs on both write shapes where both apply: the
 * store's transaction, and the conditional commit alone.
 */
class StoreFailureRetryTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId MAYA = AccountId.of("maya");
  private static final IdempotencyKey KEY = IdempotencyKey.of("img-1");
  /** Enough images to cross a warning threshold, so that the charge publishes events. */
  private static final int IMAGES = 12;
  /** The budget of these tests' stores: five attempts, and a deadline no test reaches. */
  private static final RetryPolicy BUDGET = new RetryPolicy(5, Duration.ofMinutes(1));

  /** Which write shape the gate is handed. */
  enum Shape {
    TRANSACTION, COMMIT_ONLY
  }

  /** Where a write call (an attempt, or a conditional commit) fails. */
  enum Where {
    /** Before the store decides or writes anything. */
    BEFORE_DECISION,
    /** In an attempt, after the decision ran, with nothing written (the write failed). */
    AFTER_DECISION,
    /** After the commit landed: the store lost the reply and reports a failure. */
    AFTER_COMMIT
  }

  /**
   * An in-memory store that fails its next write calls on purpose, and counts what the gate
   * asked of it. A write call is an attempt of its transaction, or a conditional commit when it
   * offers only that; reads fail only when {@link #readFaults} says so.
   */
  private static final class FaultyStore extends ForwardingWalletStore {
    private final Shape shape;
    final AtomicInteger writeCalls = new AtomicInteger();
    final AtomicInteger decisions = new AtomicInteger();
    final AtomicInteger loads = new AtomicInteger();
    final List<RuntimeException> thrown = new CopyOnWriteArrayList<>();
    /** How the next write calls go: each is a fault (made by {@link #fault}), a lost race, or real. */
    private final List<Step> plan = new ArrayList<>();
    private Where where = Where.BEFORE_DECISION;
    private IntFunction<RuntimeException> fault = n -> new StoreUnavailableException("injected fault #" + n, null);
    private RetryPolicy policy = BUDGET;
    /** How many of the next loads and record reads fail, with {@link #fault}. */
    int readFaults;
    /** How many loads and record reads fail once a commit's reply was lost. */
    int readFaultsAfterLostReply;

    private enum Step {
      FAULT, LOST
    }

    FaultyStore(InMemoryWalletStore store, Shape shape) {
      super(store);
      this.shape = shape;
    }

    FaultyStore failing(int times, Where at) {
      plan.addAll(Collections.nCopies(times, Step.FAULT));
      this.where = at;
      if (at == Where.AFTER_COMMIT) {
        // What a store says when the reply to its COMMIT was lost.
        fault = n -> new CommitOutcomeUnknownException(MAYA, "injected lost reply #" + n, null);
      }
      return this;
    }

    FaultyStore within(RetryPolicy budget) {
      this.policy = budget;
      return this;
    }

    @Override
    public RetryPolicy retryPolicy() {
      return policy;
    }

    FaultyStore losing(int times) {
      plan.addAll(Collections.nCopies(times, Step.LOST));
      return this;
    }

    FaultyStore with(IntFunction<RuntimeException> made) {
      this.fault = made;
      return this;
    }

    private synchronized Step next() {
      return plan.isEmpty() ? null : plan.remove(0);
    }

    private RuntimeException fail() {
      RuntimeException e = fault.apply(thrown.size() + 1);
      thrown.add(e);
      if (where == Where.AFTER_COMMIT) {
        readFaults += readFaultsAfterLostReply;
        readFaultsAfterLostReply = 0;
        fault = n -> new StoreUnavailableException("injected read fault #" + n, null);
      }
      return e;
    }

    @Override
    public Optional<StoredWallet> load(AccountId account) {
      loads.incrementAndGet();
      if (readFaults > 0) {
        readFaults--;
        throw fail();
      }
      return super.load(account);
    }

    @Override
    public Optional<IdempotencyRecord> findRecord(AccountId account, IdempotencyKey key) {
      if (readFaults > 0) {
        readFaults--;
        throw fail();
      }
      return super.findRecord(account, key);
    }

    @Override
    public boolean commit(Commit commit) {
      writeCalls.incrementAndGet();
      Step step = next();
      if (step == Step.LOST) {
        return false;
      }
      if (step == Step.FAULT && where != Where.AFTER_COMMIT) {
        throw fail();
      }
      boolean landed = super.commit(commit);
      if (step == Step.FAULT) {
        throw fail();
      }
      return landed;
    }

    @Override
    public Optional<WalletTransaction> transaction() {
      if (shape == Shape.COMMIT_ONLY) {
        return Optional.empty();
      }
      WalletTransaction inner = delegate().transaction().orElseThrow();
      return Optional.of(new WalletTransaction() {
        @Override
        public <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
          writeCalls.incrementAndGet();
          Step step = next();
          if (step == Step.LOST) {
            return Optional.empty();
          }
          if (step == Step.FAULT && where == Where.BEFORE_DECISION) {
            throw fail();
          }
          Optional<R> result = inner.attempt(account, key, (stored, record) -> {
            decisions.incrementAndGet();
            Mutation.Outcome<R> outcome = mutation.decide(stored, record);
            if (step == Step.FAULT && where == Where.AFTER_DECISION) {
              // The in-memory store writes nothing when the decision throws: a failed write.
              throw fail();
            }
            return outcome;
          });
          if (step == Step.FAULT) {
            throw fail();
          }
          return result;
        }
      });
    }
  }

  private final InMemoryWalletStore memory = InMemoryWalletStore.create();
  private final RecordingSink sink = new RecordingSink();

  private FaultyStore store(Shape shape) {
    CreditGate.builder(memory).build().openWallet(MAYA, ZoneOffset.UTC, T0);
    return new FaultyStore(memory, shape);
  }

  private CreditGate gate(FaultyStore store) {
    return CreditGate.builder(store).eventSink(sink).build();
  }

  private static Decision charge(CreditGate gate) {
    return gate.charge(MAYA, Operation.GENERATE_IMAGE, IMAGES, KEY, T0);
  }

  /** The decision and the events of the same charge on a store that never fails. */
  private static Decision healthyCharge(List<WalletEvent> events) {
    InMemoryWalletStore twin = InMemoryWalletStore.create();
    CreditGate.builder(twin).build().openWallet(MAYA, ZoneOffset.UTC, T0);
    RecordingSink twinSink = new RecordingSink();
    Decision d = charge(CreditGate.builder(twin).eventSink(twinSink).build());
    events.addAll(twinSink.events);
    return d;
  }

  static Stream<Arguments> retriedFaults() {
    return Stream.of(Shape.values()).flatMap(shape -> Stream.of(Where.BEFORE_DECISION, Where.AFTER_DECISION)
        .filter(where -> shape == Shape.TRANSACTION || where == Where.BEFORE_DECISION)
        .flatMap(where -> IntStream.range(1, BUDGET.maxAttempts())
            .mapToObj(n -> Arguments.of(shape, where, n))));
  }

  @ParameterizedTest(name = "{0}: {2} fault(s) {1}")
  @MethodSource("retriedFaults")
  void aRetrySafeFailureIsTriedAgainWithinTheBudgetAndTheCallAppliesOnce(Shape shape, Where where, int faults) {
    FaultyStore store = store(shape).failing(faults, where);
    StoredWallet before = memory.load(MAYA).orElseThrow();
    List<WalletEvent> expectedEvents = new ArrayList<>();
    Decision expected = healthyCharge(expectedEvents);

    Decision d = charge(gate(store));

    assertEquals(expected, d);
    assertTrue(d.isAllowed());
    assertEquals(faults + 1, store.writeCalls.get(), "write calls");
    assertEquals(faults, store.thrown.size());
    if (shape == Shape.TRANSACTION) {
      // The store decided at most once per attempt: never when it failed before the decision.
      assertEquals(where == Where.AFTER_DECISION ? faults + 1 : 1, store.decisions.get(), "decisions");
    }
    assertChargedOnce(before, d);
    assertFalse(expectedEvents.isEmpty(), "the charge publishes events");
    assertEquals(expectedEvents, sink.events, "events published once, for the commit that landed");
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aFailureThatOutlastsTheBudgetIsThrownWithTheEarlierOnesSuppressedAndNothingWritten(Shape shape) {
    FaultyStore store = store(shape).failing(1_000, Where.BEFORE_DECISION);
    StoredWallet before = memory.load(MAYA).orElseThrow();

    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> charge(gate(store)));

    int tries = BUDGET.maxAttempts();
    assertEquals(tries, store.writeCalls.get(), "write calls");
    assertEquals(tries, store.thrown.size());
    assertSame(store.thrown.get(tries - 1), e, "the last failure is thrown");
    assertEquals(store.thrown.subList(0, tries - 1), Arrays.asList(e.getSuppressed()), "the earlier ones");
    assertNothingWritten(before);
    assertEquals(List.of(), sink.events);
  }

  static Stream<Arguments> notRetrySafe() {
    List<Named<IntFunction<RuntimeException>>> failures = List.of(
        Named.of("SchemaMissingException", n -> new SchemaMissingException("no tables (injected)", null)),
        Named.of("SchemaMismatchException", n -> new SchemaMismatchException("tables at version 2 (injected)", 1, 2)),
        Named.of("UnreadableWalletException", n -> new UnreadableWalletException(MAYA, "unreadable (injected)", null)),
        Named.of("IllegalStateException", n -> new IllegalStateException("a bug in the store (injected)")));
    return Stream.of(Shape.values()).flatMap(shape -> failures.stream().map(f -> Arguments.of(shape, f)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("notRetrySafe")
  void aFailureThatIsNotRetrySafeIsThrownAtOnce(Shape shape, IntFunction<RuntimeException> failure) {
    FaultyStore store = store(shape).with(failure).failing(1_000, Where.BEFORE_DECISION);
    StoredWallet before = memory.load(MAYA).orElseThrow();

    RuntimeException e = assertThrows(RuntimeException.class, () -> charge(gate(store)));

    assertSame(store.thrown.get(0), e);
    assertEquals(1, store.writeCalls.get(), "tried once");
    assertEquals(0, e.getSuppressed().length);
    assertNothingWritten(before);
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aCommitWhoseReplyWasLostIsAnsweredFromItsRecordNotAppliedTwice(Shape shape) {
    FaultyStore store = store(shape).failing(1, Where.AFTER_COMMIT);
    StoredWallet before = memory.load(MAYA).orElseThrow();
    Decision expected = healthyCharge(new ArrayList<>());
    CreditGate gate = gate(store);

    Decision d = charge(gate);

    assertEquals(1, store.thrown.size(), "the commit landed and its reply was lost");
    assertEquals(1, store.writeCalls.get(), "the gate read the key's record instead of trying again");
    assertEquals(expected, d, "the first answer, read back from the key's record");
    assertChargedOnce(before, d);
    assertEquals(d, charge(gate), "a later repeat gets the same answer");
    assertChargedOnce(before, d);
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aWalletThatCrossesTwentyPercentThroughACommitWhoseReplyIsLostStillGetsItsOneWarning(Shape shape) {
    FaultyStore store = store(shape).failing(1, Where.AFTER_COMMIT);
    List<WalletEvent> expectedEvents = new ArrayList<>();
    healthyCharge(expectedEvents);
    assertTrue(expectedEvents.stream().anyMatch(e -> e instanceof WalletEvent.ThresholdCrossed t && t.percent() == 20),
        "the charge crosses 20%: " + expectedEvents);

    charge(gate(store));
    charge(gate(store));

    assertEquals(expectedEvents, sink.events, "delivered once, right after the call");
    assertEquals(0, gate(store).deliverPendingEvents(100), "nothing left for the relay");
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aCommitWhoseOutcomeCannotBeReadBackIsReportedAsMaybeAppliedNeverAsNothingWritten(Shape shape) {
    FaultyStore store = store(shape).failing(1, Where.AFTER_COMMIT);
    StoredWallet before = memory.load(MAYA).orElseThrow();
    // Once the reply is lost, every read of the key's record fails until the budget is spent.
    store.readFaultsAfterLostReply = 1_000;

    CommitOutcomeUnknownException e = assertThrows(CommitOutcomeUnknownException.class, () -> charge(gate(store)));

    assertEquals(MAYA, e.account());
    assertTrue(e.isRetrySafe());
    assertTrue(e.getMessage().contains("may have been applied") && e.getMessage().contains("same key"), e.getMessage());
    assertFalse(e.getMessage().contains("nothing was written"), e.getMessage());
    store.readFaults = 0;
    Decision d = charge(gate(store));
    assertChargedOnce(before, d);
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aLostReplyWhoseCommitDidNotLandIsDecidedAgainAndAppliedOnce(Shape shape) {
    FaultyStore store = store(shape).with(n -> new CommitOutcomeUnknownException(MAYA, "injected #" + n, null))
        .failing(1, Where.BEFORE_DECISION);
    StoredWallet before = memory.load(MAYA).orElseThrow();

    Decision d = charge(gate(store));

    assertEquals(2, store.writeCalls.get(), "no record, so the gate decided again");
    assertChargedOnce(before, d);
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void lostRacesAndFailuresShareOneBudget(Shape shape) {
    FaultyStore store = store(shape).failing(2, Where.BEFORE_DECISION).losing(BUDGET.maxAttempts() - 2);
    StoredWallet before = memory.load(MAYA).orElseThrow();

    StoreException e = assertThrows(StoreException.class, () -> charge(gate(store)));

    assertEquals(BUDGET.maxAttempts(), store.writeCalls.get(), "write calls: one budget for both");
    assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
    assertNothingWritten(before);
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aCallWithinItsBudgetSucceedsAfterFaultsAndLostRaces(Shape shape) {
    FaultyStore store = store(shape).failing(2, Where.BEFORE_DECISION).losing(BUDGET.maxAttempts() - 3);
    StoredWallet before = memory.load(MAYA).orElseThrow();
    CreditGate gate = gate(store);

    Decision d = charge(gate);

    assertTrue(d.isAllowed());
    assertEquals(BUDGET.maxAttempts(), store.writeCalls.get(), "write calls");
    assertChargedOnce(before, d);
    assertEquals(new RetryStatistics(BUDGET.maxAttempts() - 3, 2, 0), gate.retryStatistics());
  }

  @Test
  void aStoreThatKeepsFailingIsGivenUpOnByTheDeadlineNotAfterItsAttempts() {
    Duration deadline = Duration.ofMillis(300);
    FaultyStore store = store(Shape.TRANSACTION).failing(1_000_000, Where.BEFORE_DECISION)
        .within(new RetryPolicy(1_000_000, deadline));
    CreditGate gate = gate(store);
    long start = System.nanoTime();

    assertThrows(StoreUnavailableException.class, () -> charge(gate));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // Pauses of 10-20, 20-40, 40-80 ms leave room for a fourth try within 300 ms; the call gives up
    // rather than sleep into the deadline, so it ends by then (the tries themselves are instant).
    assertTrue(took.compareTo(deadline.plusMillis(100)) < 0, "it gave up by the deadline: " + took);
    assertTrue(store.writeCalls.get() >= 4, "it tried while the budget allowed: " + store.writeCalls.get());
    assertTrue(store.writeCalls.get() < 100, "a growing pause between tries: " + store.writeCalls.get());
    assertEquals(1, gate.retryStatistics().givenUp());
  }

  @Test
  void onTheConditionalPathAFailedLoadOrRecordReadIsTriedAgainToo() {
    FaultyStore store = store(Shape.COMMIT_ONLY);
    StoredWallet before = memory.load(MAYA).orElseThrow();
    // The first attempt fails loading the wallet, the second reading the key's record.
    store.readFaults = 2;

    Decision d = charge(gate(store));

    assertTrue(d.isAllowed());
    assertEquals(2, store.thrown.size());
    assertEquals(1, store.writeCalls.get(), "one commit");
    assertChargedOnce(before, d);
  }

  @Test
  void anInterruptedCallIsNotTriedAgain() {
    FaultyStore store = store(Shape.TRANSACTION).failing(1, Where.BEFORE_DECISION);
    StoredWallet before = memory.load(MAYA).orElseThrow();
    CreditGate gate = gate(store);

    Thread.currentThread().interrupt();
    try {
      StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> charge(gate));
      assertSame(store.thrown.get(0), e);
    } finally {
      assertTrue(Thread.interrupted(), "the interrupt is kept");
    }
    assertEquals(1, store.writeCalls.get());
    assertNothingWritten(before);
  }

  private void assertChargedOnce(StoredWallet before, Decision d) {
    assertEquals(before.version() + 1, memory.load(MAYA).orElseThrow().version(), "one commit");
    List<LedgerEntry> charged = GateTestKit.ledger(memory, MAYA).stream()
        .filter(e -> e.key().equals(KEY.value())).toList();
    assertFalse(charged.isEmpty());
    assertEquals(Credits.of(-2L * IMAGES), charged.stream().map(LedgerEntry::amount).reduce(Credits.ZERO, Credits::plus));
    assertEquals(d.balanceAfter(), CreditGate.builder(memory).build().status(MAYA, T0).available());
    assertTrue(memory.findRecord(MAYA, KEY).isPresent());
  }

  private void assertNothingWritten(StoredWallet before) {
    assertEquals(before.version(), memory.load(MAYA).orElseThrow().version());
    assertTrue(GateTestKit.ledger(memory, MAYA).stream().noneMatch(e -> e.key().equals(KEY.value())));
    assertEquals(Optional.empty(), memory.findRecord(MAYA, KEY));
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void aCallThatLosesEveryRaceGivesUpAfterItsAttemptsWithNothingWritten(Shape shape) {
    FaultyStore store = store(shape).losing(10 * BUDGET.maxAttempts());
    StoredWallet before = memory.load(MAYA).orElseThrow();

    StoreException e = assertThrows(StoreException.class, () -> charge(gate(store)));

    assertEquals(BUDGET.maxAttempts(), store.writeCalls.get(), "write calls");
    assertTrue(e.getMessage().contains("stayed contended (" + BUDGET.maxAttempts() + " lost races) for "
        + BUDGET.maxAttempts() + " attempts"), e::getMessage);
    assertNothingWritten(before);
    assertEquals(List.of(), sink.events);
  }

  @Test
  void eachRetryAfterAFaultWaitsAtLeastHalfOfItsDoublingPause() {
    // 20 ms doubled per retry, jittered between half and all of it: at least 10 + 20 + 40 + 80 ms.
    FaultyStore store = store(Shape.TRANSACTION).failing(4, Where.BEFORE_DECISION);
    CreditGate gate = gate(store);

    long start = System.nanoTime();
    Decision d = charge(gate);
    long elapsed = System.nanoTime() - start;

    assertTrue(d.isAllowed());
    assertTrue(elapsed >= Duration.ofMillis(150).toNanos(), () -> "retried after only " + elapsed / 1_000_000 + " ms");
  }

  @Test
  void aCallInterruptedWhileWaitingAfterALostRaceStopsWithNothingWrittenAndKeepsTheInterrupt() {
    store(Shape.COMMIT_ONLY);
    StoredWallet before = memory.load(MAYA).orElseThrow();
    AtomicInteger commits = new AtomicInteger();
    // Loses two races; the second loss comes with an interrupt, so the wait before the third
    // attempt (a sleep: the first retry only spins) is interrupted.
    CreditGate gate = CreditGate.builder(new ForwardingWalletStore(memory) {
      @Override
      public boolean commit(Commit commit) {
        int n = commits.incrementAndGet();
        if (n == 2) {
          Thread.currentThread().interrupt();
        }
        return n > 2 && super.commit(commit);
      }

      @Override
      public Optional<WalletTransaction> transaction() {
        return Optional.empty();
      }
    }).eventSink(sink).build();

    try {
      StoreException e = assertThrows(StoreException.class, () -> charge(gate));
      assertTrue(e.getMessage().contains("interrupted while waiting to try") && e.getMessage().contains("nothing was written"),
          e::getMessage);
    } finally {
      assertTrue(Thread.interrupted(), "the interrupt is kept");
    }
    assertEquals(2, commits.get(), "no attempt after the interrupt");
    assertNothingWritten(before);
  }
}
