package dev.creditgate;

import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.UnreadableWalletException;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.spi.WalletTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one read-decide-commit loop: every change of a wallet goes through {@link #mutate}. Each
 * attempt runs in the store's {@link WalletTransaction} if it has one, or else as load, decide and
 * conditional commit; an attempt that lost to another commit decides again from the fresh state,
 * at most {@link #MAX_ATTEMPTS} times. An attempt that failed with a retry-safe
 * {@link StoreException} (a transient fault: nothing was written, or the write landed and the
 * key's record now replays it) is tried again too, at most {@link #MAX_STORE_RETRIES} times: a
 * budget of its own, so faults and lost races do not multiply. Any other failure reaches the
 * caller at once. Events are published once the commit has landed.
 */
final class MutationRunner {
  private static final Logger log = LoggerFactory.getLogger(MutationRunner.class);

  /** How often an optimistic mutation decides again after losing a conditional commit. */
  static final int MAX_ATTEMPTS = 64;

  /**
   * How often a call tries again after an attempt failed with a retry-safe {@link StoreException}:
   * {@value}, so at most five tries meet a transient fault before the last one is thrown. Apart
   * from {@link #MAX_ATTEMPTS}: lost races do not count against it, nor faults against that.
   */
  static final int MAX_STORE_RETRIES = 4;

  private final WalletStore store;
  private final Optional<WalletTransaction> transaction;
  private final EventSink events;
  private final WalletRules rules;

  MutationRunner(WalletStore store, EventSink events, WalletRules rules) {
    this.store = store;
    this.transaction = store.transaction();
    this.events = events;
    this.rules = rules;
  }

  WalletStore store() {
    return store;
  }

  WalletRules rules() {
    return rules;
  }

  /** The stored wallet. */
  StoredWallet load(AccountId account) {
    // No capturing lambda: this is on every check's path, which allocates only its answer.
    Optional<StoredWallet> stored = store.load(account);
    if (stored.isEmpty()) {
      throw new UnknownAccountException(account);
    }
    return stored.get();
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

  /** Opens the wallet unless it exists; publishes its events if this call opened it. */
  void open(Transition opened) {
    AccountId account = opened.wallet().account();
    if (store.load(account).isEmpty() && store.commit(commit(account, 0, opened, List.of()))) {
      publish(opened.events());
    }
  }

  /**
   * Every mutation's shape: replay a recorded key (or refuse it for other arguments), roll the
   * wallet forward, decide, and hand the store one commit of the wallet, its ledger entries and
   * the key's record.
   */
  <R> R mutate(AccountId account, IdempotencyKey key, Request request, Instant at, Receipts.Codec<R> codec,
      Function<Wallet, Step<R>> decide) {
    List<WalletEvent> published = new ArrayList<>();
    R result = run(account, key, (stored, recorded) -> {
      published.clear();
      if (recorded.isPresent()) {
        return Mutation.Outcome.answer(codec.replay(recorded.get(), request));
      }
      Transition rolled = wallet(account, stored).rollForward(at, rules);
      Step<R> step = decide.apply(rolled.wallet());
      if (step.transition() == null) {
        return Mutation.Outcome.answer(step.result());
      }
      Transition full = rolled.then(step.transition());
      published.addAll(full.events());
      // The record keeps the result as an object; only a store that persists it pays for its text.
      IdempotencyRecord record = IdempotencyRecord.of(key, RequestCodec.encode(request), step.result(), codec, at);
      return Mutation.Outcome.commit(step.result(), commit(account, stored.version(), full, List.of(record)));
    });
    publish(published);
    return result;
  }

  /**
   * Rolls the wallet forward to {@code at} (renewals due, holds expired) and commits that alone,
   * recording no key. Answers whether it changed the wallet.
   */
  boolean rollForward(AccountId account, Instant at, IdempotencyKey sweepKey) {
    List<WalletEvent> published = new ArrayList<>();
    boolean committed = run(account, sweepKey, (stored, recorded) -> {
      Transition rolled = wallet(account, stored).rollForward(at, rules);
      published.clear();
      published.addAll(rolled.events());
      return rolled.changesNothing() ? Mutation.Outcome.answer(false)
          : Mutation.Outcome.commit(true, commit(account, stored.version(), rolled, List.of()));
    });
    if (committed) {
      publish(published);
    }
    return committed;
  }

  private <R> R run(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
    int lost = 0;
    List<StoreException> faults = null;
    while (true) {
      Optional<R> result;
      try {
        result = transaction.isPresent() ? transaction.get().attempt(account, key, mutation)
            : attemptByCommit(account, key, mutation);
      } catch (StoreException e) {
        if (faults == null) {
          faults = new ArrayList<>(MAX_STORE_RETRIES);
        }
        if (!e.isRetrySafe() || faults.size() == MAX_STORE_RETRIES || Thread.currentThread().isInterrupted()) {
          throw withEarlier(e, faults);
        }
        faults.add(e);
        // Nothing was written, or the write landed and the key's record now answers the next
        // attempt: either way the next attempt reads afresh and decides (or replays) once.
        log.debug("attempt {} on wallet '{}' failed; retry {} of {}", lost + faults.size(), account,
            faults.size(), MAX_STORE_RETRIES, e);
        pauseAfterFault(faults.size());
        continue;
      }
      if (result.isPresent()) {
        return result.get();
      }
      if (++lost == MAX_ATTEMPTS) {
        throw new StoreException("wallet '" + account + "' stayed contended for " + MAX_ATTEMPTS
            + " attempts; nothing was written, retry with the same key");
      }
      pause(lost);
    }
  }

  /** {@code last}, with the distinct earlier failures of the same call suppressed in it. */
  private static StoreException withEarlier(StoreException last, List<StoreException> earlier) {
    for (StoreException e : earlier) {
      if (e != last && Arrays.stream(last.getSuppressed()).noneMatch(s -> s == e)) {
        last.addSuppressed(e);
      }
    }
    return last;
  }

  /** One attempt through the store's conditional commit: empty if another commit came first. */
  private <R> Optional<R> attemptByCommit(AccountId account, IdempotencyKey key, Mutation<R> mutation) {
    // Wallet first: a record committed after this load also moved the version, so the commit
    // below fails; read the other way round, a record committed in between would be missed.
    StoredWallet stored = load(account);
    Optional<IdempotencyRecord> record = store.findRecord(account, key);
    Mutation.Outcome<R> outcome = mutation.decide(stored, record);
    return outcome.commit() == null || store.commit(outcome.commit()) ? Optional.of(outcome.result())
        : Optional.empty();
  }

  /**
   * After a store failure: a random while between half and all of 20 ms doubled per retry (at most
   * 2 s), so that a database that is restarting or a pool that is exhausted gets time to recover.
   */
  private static void pauseAfterFault(int retry) {
    long capNanos = Math.min(2_000_000_000L, 20_000_000L << Math.min(retry - 1, 10));
    sleep(capNanos / 2 + ThreadLocalRandom.current().nextLong(capNanos / 2 + 1));
  }

  /**
   * Before the next attempt after a lost race ({@code attempt} counts the races lost so far): spin
   * first, then sleep a random, growing while (at most 20 ms) so that the contenders spread out
   * instead of colliding again.
   */
  private static void pause(int attempt) {
    if (attempt < 2) {
      Thread.onSpinWait();
      return;
    }
    long capMicros = Math.min(20_000, 100L << Math.min(attempt - 2, 10));
    sleep(ThreadLocalRandom.current().nextLong(capMicros + 1) * 1000);
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting to decide again; nothing was written", e);
    }
  }

  private static Commit commit(AccountId account, long version, Transition t, List<IdempotencyRecord> records) {
    return new Commit(account, version, t.wallet(), t.entries(), records, t.events(), t.wallet().nextHoldExpiry());
  }

  /**
   * A sink that fails is logged and ignored, whatever it throws (a checked exception thrown
   * sneakily, an {@code Error}): the change it reports stands, and the call's other events are
   * still handed over. Only the JVM's own failures (out of memory, a stack overflow) go on up.
   */
  void publish(List<WalletEvent> list) {
    for (WalletEvent event : list) {
      try {
        events.publish(event);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        log.warn("event sink failed on {}; the change it reports stands", event, e);
      }
    }
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
