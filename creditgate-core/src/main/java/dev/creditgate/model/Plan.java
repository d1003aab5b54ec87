package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A subscription plan: its monthly price, the credits it grants each period, and its entitlements
 * beside credits: boolean feature flags ({@code "priority-support"}) and numeric limits
 * ({@link #SEATS}). Immutable; prices, allowances and entitlements are data, set in the
 * {@link Catalog}.
 *
 * <p>The id, the name, and every feature and limit name are at most 100 characters, not blank,
 * without U+0000 or lone surrogates. {@link #features()} and {@link #limits()} iterate in the
 * order of their names ({@link String#compareTo}), whatever order they were given in, so what a
 * plan lists is the same in every run and on every instance.
 */
public record Plan(String id, String name, Money monthlyPrice, Credits monthlyCredits, Set<String> features,
    Map<String, Long> limits) {

  /** The numeric limit every plan has: how many members may share its wallet (at least 1). */
  public static final String SEATS = "seats";

  /** The most characters of an id, a name, a feature or a limit name. */
  private static final int MAX_LENGTH = 100;

  /**
   * @throws InvalidRequestException naming the value: a null or malformed id, name, feature or
   *     limit name, negative credits, a negative or null limit, or seats outside 1..2147483647
   */
  public Plan {
    Checks.text(id, "plan id", MAX_LENGTH);
    Checks.text(name, "plan name", MAX_LENGTH);
    Checks.nonNull(monthlyPrice, "monthlyPrice");
    Checks.nonNull(monthlyCredits, "monthlyCredits");
    if (monthlyCredits.isNegative()) {
      throw new InvalidRequestException("monthlyCredits", monthlyCredits.toString(),
          "plan '" + id + "' monthly credits must not be negative but was " + monthlyCredits);
    }
    SortedSet<String> sortedFeatures = new TreeSet<>();
    for (String feature : Checks.nonNull(features, "features")) {
      sortedFeatures.add(Checks.text(feature, "plan '" + id + "' feature", MAX_LENGTH));
    }
    SortedMap<String, Long> sortedLimits = new TreeMap<>();
    for (Map.Entry<String, Long> limit : Checks.nonNull(limits, "limits").entrySet()) {
      String limitName = Checks.text(limit.getKey(), "plan '" + id + "' limit name", MAX_LENGTH);
      Long value = limit.getValue();
      if (value == null || value < 0) {
        throw new InvalidRequestException(limitName, String.valueOf(value), "plan '" + id + "' limit " + limitName
            + " must not be negative but was " + value);
      }
      sortedLimits.put(limitName, value);
    }
    long seats = sortedLimits.computeIfAbsent(SEATS, s -> 1L);
    if (seats < 1 || seats > Integer.MAX_VALUE) {
      throw new InvalidRequestException(SEATS, Long.toString(seats),
          "plan '" + id + "' seats must be within 1.." + Integer.MAX_VALUE + " but was " + seats);
    }
    features = Collections.unmodifiableSortedSet(sortedFeatures);
    limits = Collections.unmodifiableSortedMap(sortedLimits);
  }

  /** A plan whose only numeric limit is its seat count. */
  public Plan(String id, String name, Money monthlyPrice, Credits monthlyCredits, int seats, Set<String> features) {
    this(id, name, monthlyPrice, monthlyCredits, features, Map.of(SEATS, (long) seats));
  }

  /** How many members may share the wallet. */
  public int seats() {
    return (int) (long) limits.get(SEATS);
  }

  /** Whether the plan has the feature flag {@code feature}. */
  public boolean hasFeature(String feature) {
    return features.contains(Checks.nonNull(feature, "feature"));
  }

  /** The plan's value of a numeric limit, if it declares one. */
  public OptionalLong limit(String name) {
    Long value = limits.get(Checks.nonNull(name, "limit"));
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
