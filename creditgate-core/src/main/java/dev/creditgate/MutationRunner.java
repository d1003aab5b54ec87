package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.CommitOutcomeUnknownException;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.GateObserver;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.OutboxEvent;
import dev.creditgate.spi.RetryPolicy;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.UnreadableWalletException;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import dev.creditgate.model.EventId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one read-decide-commit loop: every change of a wallet goes through it. Each attempt runs in
 * the store's {@link WalletTransaction} if it has one, or else as load, decide and conditional
 * commit. An attempt that lost to another commit decides again from the fresh state; one that
 * failed with a retry-safe {@link StoreException} is tried again after a growing pause. Both
 * count against one budget, the store's {@link RetryPolicy}: so many attempts, within a deadline.
 *
 * <p>After a failure that may have committed ({@link CommitOutcomeUnknownException}), the next
 * step reads the key's record: if it is there the call was applied and its recorded answer is
 * returned; if not, nothing was written and the call is decided again. A call that runs out of
 * budget before it could tell throws a {@code CommitOutcomeUnknownException}, never a failure
 * that says nothing was written.
 *
 * <p>Events are recorded in the store's outbox by the commit itself. After a call that committed
 * events (or may have), the account's undelivered events are handed to the sink at once; what the
 * sink refuses stays in the outbox for {@link #deliverPending}.
 */
final class MutationRunner {
  private static final Logger log = LoggerFactory.getLogger(MutationRunner.class);

  /** The most events a call hands to the sink after its commit; a backlog is the relay's work. */
  static final int EVENTS_PER_CALL = 64;

  private final WalletStore store;
  private final Optional<WalletTransaction> transaction;
  private final EventSink sink;
  private final WalletRules rules;
  private final RetryPolicy policy;
  private final RetryCounters counters = new RetryCounters();
  private final Observers observers;

  MutationRunner(WalletStore store, EventSink sink, WalletRules rules, Observers observers) {
    this.store = store;
    this.observers = observers;
    this.transaction = store.transaction();
    this.sink = sink;
    this.rules = rules;
    this.policy = store.retryPolicy();
  }

  WalletStore store() {
    return store;
  }

  WalletRules rules() {
    return rules;
  }

  RetryStatistics retryStatistics() {
    return counters.snapshot();
  }

  /** The stored wallet; a read that fails retry-safely is tried again within the budget. */
  StoredWallet load(AccountId account) {
    // No capturing lambda on the way that works: this is on every check's path, which allocates
    // only its answer.
    Optional<StoredWallet> stored;
    long start = System.nanoTime();
    try {
      stored = store.load(account);
    } catch (StoreException e) {
      if (!e.isRetrySafe()) {
        throw e;
      }
      stored = new Call(account).run(() -> Optional.of(store.load(account)), null, e, start);
    }
    return existing(account, stored);
  }

  private static StoredWallet existing(AccountId account, Optional<StoredWallet> stored) {
    if (stored.isEmpty()) {
      throw new UnknownAccountException(account);
    }
    return stored.get();
  }

  /**
   * A read of the store that runs no decision (a record, the ledger, the hold index), tried again
   * within the budget when it fails retry-safely.
   *
   * @param account the wallet read, or null for a read of no one wallet
   */
  <T> T read(@Nullable AccountId account, Supplier<T> read) {
    return new Call(account).run(() -> Optional.of(read.get()), null, null, System.nanoTime());
  }

  /** The stored wallet rolled forward to {@code at}, in memory only. */
  Wallet current(AccountId account, Instant at) {
    return wallet(account, load(account)).at(at, rules);
  }

  /**
   * The wallet a store handed back for {@code account}.
   *
   * @throws UnreadableWalletException if its text is not a wallet this release reads, or another
   *     account's
   */
  static Wallet wallet(AccountId account, StoredWallet stored) {
    // A store that keeps objects hands back the one the gate committed: nothing to decode.
    if (stored.state() instanceof Wallet wallet && wallet.account().equals(account)) {
      return wallet;
    }
    return decoded(account, stored);
  }

  private static Wallet decoded(AccountId account, StoredWallet stored) {
    Wallet wallet;
    try {
      wallet = Wallet.of(stored.state());
    } catch (IllegalArgumentException e) {
      throw new UnreadableWalletException(account, "the stored wallet of account '" + account
          + "' cannot be read by this release (" + e.getMessage() + "); was it written by a newer creditgate?", e);
    }
    if (!wallet.account().equals(account)) {
      throw new UnreadableWalletException(account, "the store handed back the wallet of '" + wallet.account()
          + "' for account '" + account + "'", null);
    }
    return wallet;
  }

  /** Opens the wallet unless it exists. */
  void open(Transition opened) {
    AccountId account = opened.wallet().account();
    Commit commit = commit(account, 0, opened, List.of());
    Call call = new Call(account);
    // An attempt answers whether it opened the wallet, or loses its race (to another opening, or
    // to a conflict of the store) and the next attempt looks again.
    boolean openedHere = call.run(() -> {
      if (store.load(account).isPresent()) {
        return Optional.of(false);
      }
      return store.commit(commit) ? Optional.of(true) : Optional.empty();
    }, null, null, System.nanoTime());
    call.eventsCommitted = openedHere && !commit.events().isEmpty();
    if (openedHere) {
      observers.committed(null, opened);
    }
    call.deliver();
  }

  /**
   * Every mutation's shape: replay a recorded key (or refuse it for other arguments), roll the
   * wallet forward, decide, and hand the store one commit of the wallet, its ledger entries, its
   * events and the key's record.
   */
  <R> R mutate(AccountId account, IdempotencyKey key, Request request, Instant at, Receipts.Codec<R> codec,
      Function<Wallet, Step<R>> decide) {
    Call call = new Call(account);
    Mutation<R> mutation = (stored, recorded) -> {
      call.eventsCommitted = false;
      call.landed = null;
      if (recorded.isPresent()) {
        return Mutation.Outcome.answer(codec.replay(recorded.get(), request));
      }
      Wallet before = wallet(account, stored);
      Transition rolled = before.rollForward(at, rules);
      Step<R> step = decide.apply(rolled.wallet());
      if (step.transition() == null) {
        return Mutation.Outcome.answer(step.result());
      }
      Transition full = rolled.then(step.transition());
      call.eventsCommitted = !full.events().isEmpty();
      call.landed(before, full);
      // The record keeps the request and the result as objects; only a store that persists them pays for their text.
      IdempotencyRecord record = IdempotencyRecord.of(key, request, RequestCodec::encode, step.result(), codec, at);
      return Mutation.Outcome.commit(step.result(), commit(account, stored.version(), full, List.of(record)));
    };
    R result = call.run(() -> attempt(account, key, mutation), () -> store.findRecord(account, key)
        .map(recorded -> codec.replay(recorded, request)), null, System.nanoTime());
    call.observeLanded();
    call.deliver();
    return result;
  }

  /**
   * Rolls the wallet forward to {@code at} (renewals due, holds expired) and commits that alone,
   * recording no key. Answers whether it changed the wallet; a commit whose reply was lost counts
   * when the retry finds the wallet already rolled (by it, or by a sweep elsewhere).
   */
  boolean rollForward(AccountId account, Instant at, IdempotencyKey sweepKey) {
    Call call = new Call(account);
    // One mutation for every attempt of the call: a store may recognise the call's next attempt by it.
    Mutation<Boolean> mutation = (stored, recorded) -> {
      Wallet before = wallet(account, stored);
      Transition rolled = before.rollForward(at, rules);
      call.eventsCommitted = !rolled.events().isEmpty();
      call.landed = null;
      if (rolled.changesNothing()) {
        return Mutation.Outcome.answer(false);
      }
      call.landed(before, rolled);
      return Mutation.Outcome.commit(true, commit(account, stored.version(), rolled, List.of()));
    };
    boolean committed = call.run(() -> attempt(account, sweepKey, mutation), null, null, System.nanoTime());
    if (!committed) {
      call.eventsCommitted = false;
    } else {
      call.observeLanded();
    }
    call.deliver();
    return committed || call.mayHaveCommitted;
  }

  /** Hands undelivered events of every account to the sink, up to {@code limit}. */
  int deliverPending(int limit) {
    return store.deliverEvents(this::deliver, limit);
  }

  /** One attempt: empty if it lost to another commit. */
  private <R> Optional<R> attempt(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
    if (transaction.isPresent()) {
      return transaction.get().attempt(account, key, mutation);
    }
    // Wallet first: a record committed after this load also moved the version, so the commit
    // below fails; read the other way round, a record committed in between would be missed.
    StoredWallet stored = existing(account, store.load(account));
    Optional<IdempotencyRecord> record = store.findRecord(account, key);
    Mutation.Outcome<R> outcome = mutation.decide(stored, record);
    return outcome.commit() == null || store.commit(outcome.commit()) ? Optional.of(outcome.result())
        : Optional.empty();
  }

  /** What a store's attempt does: an answer, or empty after a lost race. */
  @FunctionalInterface
  private interface Attempt<R> {
    Optional<R> run();
  }

  /** How a call whose commit may have landed learns its answer: empty if it did not land. */
  @FunctionalInterface
  private interface Resolution<R> {
    Optional<R> recorded();
  }

  /** One gate call's run through the loop, within the store's retry budget. */
  private final class Call {
    /** The wallet the call changes or reads; null for a read of no one wallet (the hold index). */
    private final @Nullable AccountId account;
    /** Whether the latest decision committed events (set by the mutation). */
    boolean eventsCommitted;
    /** Whether a commit of this call may have landed without its reply. */
    private boolean mayHaveCommitted;
    /** The transition the latest decision handed the store to commit, and the wallet before it. */
    @Nullable Transition landed;
    private @Nullable Wallet before;

    Call(@Nullable AccountId account) {
      this.account = account;
    }

    /**
     * Runs attempts until one answers, within the budget.
     *
     * @param resolution how to learn the answer of a commit whose reply was lost; null for a call
     *     that records no key (it decides again from the stored state)
     * @param failed a first attempt that already failed retry-safely, made outside the loop; or null
     * @param start when the call's first attempt started ({@link System#nanoTime()}): the deadline
     *     counts from it
     */
    <R> R run(Attempt<R> attempt, @Nullable Resolution<R> resolution, @Nullable StoreException failed,
        long start) {
      int attempts = 0;
      int lost = 0;
      List<StoreException> faults = null;
      // A lost reply whose outcome the next step must read before it decides again.
      CommitOutcomeUnknownException unresolved = null;
      StoreException fault = failed;
      if (failed != null) {
        attempts = 1;
        faults = new ArrayList<>(4);
        faults.add(failed);
      }
      while (true) {
        if (fault != null || lost > 0) {
          long elapsed = System.nanoTime() - start;
          long left = policy.deadline().toNanos() - elapsed;
          long pause = fault != null ? Backoff.afterFault(faults.size()) : Backoff.afterLostRace(lost);
          // Never an attempt past the deadline, nor a sleep that would end at or after it.
          if (attempts >= policy.maxAttempts() || pause >= left) {
            throw giveUp(attempts, lost, elapsed, resolution != null, fault, faults);
          }
          if (fault != null) {
            counters.storeRetries.increment();
            observers.retried(GateObserver.Retry.STORE_FAILURE);
            log.debug("store failed on {} (attempt {} of at most {}); trying again in {} ms: {}", subject(),
                attempts, policy.maxAttempts(), TimeUnit.NANOSECONDS.toMillis(pause), fault.toString());
          }
          if (!Backoff.pause(pause)) {
            throw giveUp(attempts, lost, System.nanoTime() - start, resolution != null, fault != null ? fault
                : new StoreException("interrupted while waiting to try a change of " + subject()
                    + " again; nothing was written"), faults);
          }
        }
        attempts++;
        fault = null;
        try {
          if (unresolved != null && resolution != null) {
            Optional<R> recorded = resolution.recorded();
            if (recorded.isPresent()) {
              log.info("the commit on {} whose reply was lost had landed; answering from its record", subject());
              return recorded.get();
            }
            // No record: that commit did not land (or has not yet: a later attempt meets it as a
            // stored key or a moved version); decide again.
            unresolved = null;
          }
          Optional<R> result = attempt.run();
          if (result.isPresent()) {
            return result.get();
          }
          lost++;
          counters.lostRaces.increment();
          observers.retried(GateObserver.Retry.LOST_RACE);
        } catch (StoreException e) {
          if (faults == null) {
            faults = new ArrayList<>(4);
          }
          faults.add(e);
          fault = e;
          if (e instanceof CommitOutcomeUnknownException u) {
            unresolved = u;
            mayHaveCommitted = true;
          }
          if (!e.isRetrySafe()) {
            if (!mayHaveCommitted) {
              throw withEarlier(e, faults);
            }
            throw giveUp(attempts, lost, System.nanoTime() - start, resolution != null, e, faults);
          }
        }
      }
    }

    /**
     * The failure a call that ran out of budget throws. One that may have committed on the way says
     * so, whatever failed last: the change may have landed, and nothing since proved otherwise.
     */
    private StoreException giveUp(int attempts, int lost, long elapsedNanos, boolean keyed,
        @Nullable StoreException fault, @Nullable List<StoreException> faults) {
      String budget = attempts + " attempts in " + TimeUnit.NANOSECONDS.toMillis(elapsedNanos) + " ms (budget "
          + policy.maxAttempts() + " attempts, " + policy.deadline().toMillis() + " ms)";
      StoreException thrown;
      if (mayHaveCommitted && account != null) {
        thrown = new CommitOutcomeUnknownException(account, "a change of " + subject()
            + " may have been applied: the reply to its commit was lost, and its outcome could not be told"
            + " within " + budget + (keyed ? "; repeating the call with the same key is safe and returns its answer"
                : "; repeating the call is safe: it decides again from the stored wallet"), fault);
      } else if (fault != null) {
        thrown = fault;
      } else {
        thrown = new StoreException(subject() + " stayed contended (" + lost + " lost races) for "
            + budget + "; nothing was written, retry with the same key");
      }
      counters.givenUp.increment();
      observers.retried(GateObserver.Retry.GAVE_UP);
      log.warn("gave up on {} after {}: {}", subject(), budget, thrown.toString());
      return faults == null ? thrown : withEarlier(thrown, faults);
    }

    void landed(Wallet before, Transition landed) {
      this.before = before;
      this.landed = landed;
    }

    /**
     * Tells the observer what the commit that answered this call changed; after the call, outside
     * any transaction. An answer from a record (a repeat, or a lost reply whose commit had landed
     * in an earlier attempt of this call) reports what that attempt committed, if this call made it.
     */
    void observeLanded() {
      if (landed != null) {
        observers.committed(before, landed);
      }
    }

    private String subject() {
      return account == null ? "the store" : "wallet '" + account + "'";
    }

    /**
     * Hands the account's undelivered events to the sink if this call committed some, or may have:
     * a failure here never fails the call, whose change stands; the events wait in the outbox.
     */
    void deliver() {
      if (account == null || !eventsCommitted && !mayHaveCommitted) {
        return;
      }
      try {
        store.deliverEvents(account, MutationRunner.this::deliver, EVENTS_PER_CALL);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        log.warn("could not deliver the events of wallet '{}' after its commit; they stay in the outbox until"
            + " the next deliverPendingEvents", account, e);
      }
    }
  }

  /**
   * Hands events to the sink in order, and stops at the first it refuses: a sink that fails is
   * logged, whatever it throws (a checked exception thrown sneakily, an {@code Error}), and the
   * event and those after it wait in the outbox. Only the JVM's own failures (out of memory, a
   * stack overflow) go on up.
   */
  private int deliver(List<OutboxEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      OutboxEvent recorded = events.get(i);
      WalletEvent event;
      try {
        event = recorded.event().isPresent() ? recorded.event().get() : EventCodec.decode(recorded.encoded());
      } catch (IllegalArgumentException e) {
        log.error("event {} in the outbox cannot be read by this release; it and the later events of its account"
            + " wait (was it written by a newer creditgate?)", recorded.id(), e);
        return i;
      }
      if (!event.account().equals(recorded.id().account())) {
        log.error("event {} in the outbox is about account '{}'; it and the later events of its account wait",
            recorded.id(), event.account());
        return i;
      }
      try {
        sink.publish(recorded.id(), event);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        log.warn("event sink failed on {} {}; the change it reports stands, and the event is delivered again later",
            recorded.id(), event, e);
        return i;
      }
    }
    return events.size();
  }

  /** {@code last}, with the distinct earlier failures of the same call suppressed in it. */
  private static StoreException withEarlier(StoreException last, List<StoreException> earlier) {
    for (StoreException e : earlier) {
      if (e != last && last.getCause() != e && Arrays.stream(last.getSuppressed()).noneMatch(s -> s == e)) {
        last.addSuppressed(e);
      }
    }
    return last;
  }

  /** The commit of {@code t}: its events numbered on from the wallet's sequence. */
  private static Commit commit(AccountId account, long version, Transition t, List<IdempotencyRecord> records) {
    List<OutboxEvent> events = List.of();
    if (!t.events().isEmpty()) {
      long first = t.wallet().eventsRecorded() - t.events().size() + 1;
      OutboxEvent[] numbered = new OutboxEvent[t.events().size()];
      for (int i = 0; i < numbered.length; i++) {
        numbered[i] = OutboxEvent.of(new EventId(account, first + i), t.events().get(i), EventCodec::encode);
      }
      events = List.of(numbered);
    }
    return new Commit(account, version, t.wallet(), t.entries(), records, events, t.wallet().nextHoldExpiry());
  }

  /** What a mutation decided: the answer, and the transition to commit (none for a denial). */
  record Step<R>(R result, Transition transition) {
    static <R> Step<R> answer(R result) {
      return new Step<>(result, null);
    }

    static <R> Step<R> commit(R result, Transition transition) {
      return new Step<>(result, transition);
    }
  }
}
