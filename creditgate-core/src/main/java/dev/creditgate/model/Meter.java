package dev.creditgate.model;

/** What the credit balance widget shows: plenty, running low, or empty. */
public enum Meter {
  /** Above the low-balance threshold. */
  OK,
  /** At or under the low-balance threshold (20% of the period's reference amount by default). */
  LOW,
  /** Nothing left to spend. */
  EMPTY
}
