package dev.creditgate.postgresql.chaos;

import java.util.concurrent.atomic.AtomicInteger;

/** A fault armed for the next {@code n} occasions: each {@link #take()} fires one, until none is left. */
final class Armed {
  private final AtomicInteger left = new AtomicInteger();

  /** Arms {@code n} more. */
  void arm(int n) {
    left.addAndGet(n);
  }

  /** Whether this occasion fires the fault (then one fewer is left). */
  boolean take() {
    for (int n; (n = left.get()) > 0; ) {
      if (left.compareAndSet(n, n - 1)) {
        return true;
      }
    }
    return false;
  }

  /** Leaves none armed. */
  void disarm() {
    left.set(0);
  }
}
