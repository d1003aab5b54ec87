package dev.creditgate;

/**
 * How often a gate's calls had to try again since it was built, for a host's metrics: each count
 * only grows. Read with {@link CreditGate#retryStatistics()}; a snapshot, immutable.
 *
 * @param lostRaces attempts that lost to another commit on the same wallet and decided again (a
 *     busy wallet; logged at no level, they are normal)
 * @param storeRetries attempts that failed with a retry-safe store failure and were tried again
 *     (each logged at DEBUG: they are the budget at work)
 * @param givenUp calls that ran out of their retry budget (each logged at WARN, and thrown)
 */
public record RetryStatistics(long lostRaces, long storeRetries, long givenUp) {}
