package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.creditgate.testkit.GateChains;
import dev.creditgate.testkit.InFlightWork;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.ActionChain;

/**
 * The testkit's stateful property of in-flight work ({@link GateChains#inFlightWork}) on
 * PostgreSQL, in both lock modes: every call's result, the stored wallet, the ledger, the records
 * and the expired-hold index must match the reference model after every step, as they do on the
 * in-memory store. Few tries (30 sequences of up to 40 calls per mode): the in-memory run covers
 * the logic, this one the store's round trips (results replayed from their stored text, ledgers
 * read back, the sweep's index query). Each mode keeps its tables in a schema of its own, emptied
 * for every sequence: after a failure, jqwik's bounded shrinking may still be running a sequence
 * when the next property starts.
 */
class JdbcInFlightWorkStatefulPropertiesTest {
  private static final String WALLET_LOCK_SCHEMA = "creditgate_inflight_wallet_lock";
  private static final String OPTIMISTIC_SCHEMA = "creditgate_inflight_optimistic";
  private static final String GROUP_COMMIT_SCHEMA = "creditgate_inflight_group_commit";
  private static TestPool pool;

  @BeforeContainer
  static void startPool() {
    TestDatabase.get().recreate(WALLET_LOCK_SCHEMA);
    TestDatabase.get().recreate(OPTIMISTIC_SCHEMA);
    TestDatabase.get().recreate(GROUP_COMMIT_SCHEMA);
    pool = TestDatabase.get().pool(4);
  }

  @AfterContainer
  static void closePool() {
    pool.close();
    TestDatabase.get().drop(WALLET_LOCK_SCHEMA);
    TestDatabase.get().drop(OPTIMISTIC_SCHEMA);
    TestDatabase.get().drop(GROUP_COMMIT_SCHEMA);
  }

  @AfterTry
  void everyConnectionWasHandedBack() {
    assertEquals(0, pool.borrowedCount(), "connections not handed back to the pool");
  }

  @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
  void inFlightWorkWithRowLocksConservesCreditsMatchesTheModelAndRepeatedKeysChangeNothing(
      @ForAll("walletLocked") ActionChain<InFlightWork> chain) {
    GateChains.run(chain);
  }

  @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
  void inFlightWorkWithOptimisticCommitsConservesCreditsMatchesTheModelAndRepeatedKeysChangeNothing(
      @ForAll("optimistic") ActionChain<InFlightWork> chain) {
    GateChains.run(chain);
  }

  @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
  void inFlightWorkWithGroupCommitConservesCreditsMatchesTheModelAndRepeatedKeysChangeNothing(
      @ForAll("groupCommit") ActionChain<InFlightWork> chain) {
    GateChains.run(chain);
  }

  @Provide
  Arbitrary<ActionChain<InFlightWork>> walletLocked() {
    return chains(WALLET_LOCK_SCHEMA, Shape.WALLET_LOCK);
  }

  @Provide
  Arbitrary<ActionChain<InFlightWork>> optimistic() {
    return chains(OPTIMISTIC_SCHEMA, Shape.OPTIMISTIC);
  }

  @Provide
  Arbitrary<ActionChain<InFlightWork>> groupCommit() {
    return chains(GROUP_COMMIT_SCHEMA, Shape.GROUP_COMMIT);
  }

  private static Arbitrary<ActionChain<InFlightWork>> chains(String schema, Shape shape) {
    return GateChains.inFlightWork(() -> {
      TestDatabase.get().truncate(schema);
      return shape.configure(TestDatabase.store(pool, schema)).build();
    });
  }
}
