package dev.creditgate;

import java.util.concurrent.atomic.LongAdder;

/** The gate's running counts of retries, shared by every call; cheap to bump from many threads. */
final class RetryCounters {
  final LongAdder lostRaces = new LongAdder();
  final LongAdder storeRetries = new LongAdder();
  final LongAdder givenUp = new LongAdder();

  RetryStatistics snapshot() {
    return new RetryStatistics(lostRaces.sum(), storeRetries.sum(), givenUp.sum());
  }
}
