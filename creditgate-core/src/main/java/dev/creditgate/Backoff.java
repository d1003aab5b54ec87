package dev.creditgate;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the gate's retry loop waits before its next attempt, and the wait itself. Stateless;
 * the loop ({@link MutationRunner}) bounds every wait by the call's deadline.
 */
final class Backoff {
  private Backoff() {}

  /**
   * After a store failure: a random while between half and all of 20 ms doubled per retry (at most
   * 2 s), so that a database that is restarting or a pool that is exhausted gets time to recover.
   */
  static long afterFault(int retry) {
    long capNanos = Math.min(2_000_000_000L, 20_000_000L << Math.min(retry - 1, 10));
    return capNanos / 2 + ThreadLocalRandom.current().nextLong(capNanos / 2 + 1);
  }

  /**
   * Before the next attempt after a lost race ({@code lost} counts the races lost so far): none
   * (a spin) first, then a random, growing while (at most 20 ms) so that the contenders spread out
   * instead of colliding again.
   */
  static long afterLostRace(int lost) {
    if (lost < 2) {
      return 0;
    }
    long capMicros = Math.min(20_000, 100L << Math.min(lost - 2, 10));
    return ThreadLocalRandom.current().nextLong(capMicros + 1) * 1000;
  }

  /** Waits {@code nanos} (spins once for none); false if the thread was interrupted. */
  static boolean pause(long nanos) {
    if (Thread.currentThread().isInterrupted()) {
      return false;
    }
    if (nanos <= 0) {
      Thread.onSpinWait();
      return true;
    }
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
