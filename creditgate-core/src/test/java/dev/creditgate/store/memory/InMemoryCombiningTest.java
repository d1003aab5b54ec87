package dev.creditgate.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.Mutation;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletTransaction;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls on a busy wallet (flat combining): while one thread runs the wallet's waiting calls, a new
 * call waits with them instead of deciding on a wallet about to change; the running thread decides
 * and commits each in turn under the lock, each on the wallet the one before left, each answered
 * with its own decision, and a decision that throws fails its own call only.
 */
class InMemoryCombiningTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId TEAM = AccountId.of("team");

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** What one decision saw and where it ran. */
  record Seen(long version, String thread) {}

  @Test
  void callsOnABusyWalletWaitAndOneThreadDecidesEachOnTheWalletTheOneBeforeLeftWithItsOwnAnswer()
      throws Exception {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate.builder(store).build().openWallet(TEAM, ZoneOffset.UTC, T0);
    WalletTransaction tx = store.transaction().orElseThrow();
    CountDownLatch combinerInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Map<String, Seen> seen = new ConcurrentHashMap<>();

    // The first call loses its swap once (a rival commits while it decides), so its next attempt
    // runs through the waiting calls: it becomes the thread that runs them, and blocks there.
    Future<Optional<String>> first = pool.submit(() -> {
      IdempotencyKey key = IdempotencyKey.of("first");
      Optional<String> lost = tx.attempt(TEAM, key, (stored, recorded) -> {
        assertTrue(store.commit(bump(store.load(TEAM).orElseThrow())), "the rival commits");
        return bump("lost", stored);
      });
      assertEquals(Optional.empty(), lost, "the first attempt lost its race");
      return tx.attempt(TEAM, key, (stored, recorded) -> {
        seen.put("first", new Seen(stored.version(), Thread.currentThread().getName()));
        combinerInside.countDown();
        await(release);
        return bump("first", stored);
      });
    });
    assertTrue(combinerInside.await(10, TimeUnit.SECONDS), "the first call runs the waiting calls");

    int others = 5;
    List<Future<Optional<String>>> waiting = new ArrayList<>();
    for (int i = 0; i < others; i++) {
      String name = "call-" + i;
      waiting.add(pool.submit(() -> tx.attempt(TEAM, IdempotencyKey.of(name), (stored, recorded) -> {
        seen.put(name, new Seen(stored.version(), Thread.currentThread().getName()));
        return bump(name, stored);
      })));
    }
    // Nothing of theirs is decided while the running thread is held: they wait, they do not decide.
    Thread.sleep(200);
    assertEquals(1, seen.size(), "only the first call was decided: " + seen);
    long versionBefore = store.load(TEAM).orElseThrow().version();
    release.countDown();

    assertEquals(Optional.of("first"), first.get(10, TimeUnit.SECONDS));
    for (int i = 0; i < others; i++) {
      assertEquals(Optional.of("call-" + i), waiting.get(i).get(10, TimeUnit.SECONDS), "its own answer");
    }
    assertEquals(versionBefore + 1 + others, store.load(TEAM).orElseThrow().version(),
        "the first call and each waiting call committed once");
    List<Long> versions = new ArrayList<>();
    String combiner = seen.get("first").thread();
    for (int i = 0; i < others; i++) {
      Seen s = seen.get("call-" + i);
      versions.add(s.version());
      assertEquals(combiner, s.thread(), "call-" + i + " was decided by the thread that ran the waiting calls");
    }
    versions.sort(null);
    for (int i = 0; i < others; i++) {
      assertEquals(versionBefore + 1 + i, versions.get(i), "each decided on the wallet the one before left");
    }
  }

  @Test
  void aWaitingCallWhoseDecisionThrowsFailsAloneAndTheOthersCommit() throws Exception {
    InMemoryWalletStore store = InMemoryWalletStore.create();
    CreditGate.builder(store).build().openWallet(TEAM, ZoneOffset.UTC, T0);
    WalletTransaction tx = store.transaction().orElseThrow();
    CountDownLatch combinerInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Optional<String>> first = pool.submit(() -> {
      IdempotencyKey key = IdempotencyKey.of("first");
      tx.attempt(TEAM, key, (stored, recorded) -> {
        store.commit(bump(store.load(TEAM).orElseThrow()));
        return bump("lost", stored);
      });
      return tx.attempt(TEAM, key, (stored, recorded) -> {
        combinerInside.countDown();
        await(release);
        return bump("first", stored);
      });
    });
    assertTrue(combinerInside.await(10, TimeUnit.SECONDS));
    IllegalStateException bad = new IllegalStateException("bad input of call-bad");
    StackOverflowError error = new StackOverflowError("deep call-error");
    Future<Optional<String>> before = pool.submit(() -> tx.attempt(TEAM, IdempotencyKey.of("a"),
        (stored, recorded) -> bump("a", stored)));
    Future<Optional<String>> throwing = pool.submit(() -> tx.attempt(TEAM, IdempotencyKey.of("bad"),
        (stored, recorded) -> {
          throw bad;
        }));
    Future<Optional<String>> erring = pool.submit(() -> tx.attempt(TEAM, IdempotencyKey.of("error"),
        (stored, recorded) -> {
          throw error;
        }));
    Future<Optional<String>> after = pool.submit(() -> tx.attempt(TEAM, IdempotencyKey.of("b"),
        (stored, recorded) -> bump("b", stored)));
    Thread.sleep(200);
    long versionBefore = store.load(TEAM).orElseThrow().version();
    release.countDown();

    assertEquals(Optional.of("first"), first.get(10, TimeUnit.SECONDS));
    assertEquals(Optional.of("a"), before.get(10, TimeUnit.SECONDS));
    assertEquals(Optional.of("b"), after.get(10, TimeUnit.SECONDS));
    java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> throwing.get(10, TimeUnit.SECONDS));
    assertSame(bad, failed.getCause(), "the call's own exception, on its own thread");
    java.util.concurrent.ExecutionException erred = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> erring.get(10, TimeUnit.SECONDS));
    assertInstanceOf(StackOverflowError.class, erred.getCause());
    assertSame(error, erred.getCause());
    assertEquals(versionBefore + 3, store.load(TEAM).orElseThrow().version(),
        "the first call and the two good waiting calls committed, the failing ones nothing");
  }

  /** The wallet as it is, one version on. */
  private static Commit bump(StoredWallet stored) {
    return new Commit(TEAM, stored.version(), stored.state(), List.of(), List.of(), List.of(), Optional.empty());
  }

  private static Mutation.Outcome<String> bump(String answer, StoredWallet stored) {
    return Mutation.Outcome.commit(answer, bump(stored));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("never released");
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
