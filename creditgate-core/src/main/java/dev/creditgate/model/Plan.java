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
 *
 * @param id the plan's id, unique in its {@link Catalog}, which a plan change names
 *     ({@code "pro"})
 * @param name the name to show ({@code "Pro"})
 * @param monthlyPrice what the host charges per period (creditgate never takes the payment)
 * @param monthlyCredits the subscription credits granted at the start of each period, zero or
 *     more; unused ones expire at the renewal
 * @param features the feature flags the plan grants, sorted by name and unmodifiable
 * @param limits the numeric limits by name, zero or more each, sorted by name and unmodifiable;
 *     always includes {@link #SEATS}
 * @param rollover how much of a period's unused subscription credits come back in the next period
 *     ({@link Rollover#NONE}, off, unless set with {@link #withRollover})
 */
public record Plan(String id, String name, Money monthlyPrice, Credits monthlyCredits, Set<String> features,
    Map<String, Long> limits, Rollover rollover) {

  /** The numeric limit every plan has: how many members may share its wallet (at least 1). */
  public static final String SEATS = "seats";

  /** The most characters of an id, a name, a feature or a limit name. */
  private static final int MAX_LENGTH = 100;

  /**
   * Checks the plan and keeps sorted, unmodifiable copies of its features and limits.
   *
   * @param id the plan's id, at most 100 characters
   * @param name the name to show, at most 100 characters
   * @param monthlyPrice the price per period, in any currency
   * @param monthlyCredits the credits granted each period, zero or more
   * @param features the feature flags, each at most 100 characters; duplicates are dropped
   * @param limits the numeric limits by name, each zero or more; {@link #SEATS} is 1 if absent
   * @param rollover the rollover of unused subscription credits, {@link Rollover#NONE} for none
   * @throws InvalidRequestException naming the value: a null or malformed id, name, feature or
   *     limit name, negative credits, a negative or null limit, seats outside 1..2147483647, or a
   *     null rollover
   */
  public Plan {
    Checks.nonNull(rollover, "rollover");
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

  /**
   * A plan without rollover: its unused subscription credits expire at each renewal.
   *
   * @param id the plan's id, at most 100 characters
   * @param name the name to show, at most 100 characters
   * @param monthlyPrice the price per period, in any currency
   * @param monthlyCredits the credits granted each period, zero or more
   * @param features the feature flags, each at most 100 characters; duplicates are dropped
   * @param limits the numeric limits by name, each zero or more; {@link #SEATS} is 1 if absent
   * @throws InvalidRequestException naming the value, as the canonical constructor does
   */
  public Plan(String id, String name, Money monthlyPrice, Credits monthlyCredits, Set<String> features,
      Map<String, Long> limits) {
    this(id, name, monthlyPrice, monthlyCredits, features, limits, Rollover.NONE);
  }

  /**
   * This plan with {@code rollover}: at each renewal, the subscription credits the period left
   * unused, up to its cap, come back as a grant that expires at the end of the new period.
   *
   * @param rollover the rollover, {@link Rollover#NONE} to turn it off
   * @return the plan, otherwise equal to this one
   * @throws InvalidRequestException if {@code rollover} is null
   */
  public Plan withRollover(Rollover rollover) {
    return new Plan(id, name, monthlyPrice, monthlyCredits, features, limits, rollover);
  }

  /**
   * A plan whose only numeric limit is its seat count.
   *
   * @param id the plan's id, at most 100 characters
   * @param name the name to show, at most 100 characters
   * @param monthlyPrice the price per period, in any currency
   * @param monthlyCredits the credits granted each period, zero or more
   * @param seats how many members may share the wallet, at least 1
   * @param features the feature flags, each at most 100 characters
   * @throws InvalidRequestException naming the value: a null or malformed id, name or feature,
   *     negative credits, or seats below 1
   */
  public Plan(String id, String name, Money monthlyPrice, Credits monthlyCredits, int seats, Set<String> features) {
    this(id, name, monthlyPrice, monthlyCredits, features, Map.of(SEATS, (long) seats));
  }

  /**
   * How many members may share the wallet.
   *
   * @return the {@link #SEATS} limit, at least 1
   */
  public int seats() {
    return (int) (long) limits.get(SEATS);
  }

  /**
   * Whether the plan has the feature flag {@code feature}.
   *
   * @param feature the flag's name, compared exactly ({@code "priority-support"})
   * @return {@code true} if {@link #features()} contains it
   * @throws InvalidRequestException if {@code feature} is null
   */
  public boolean hasFeature(String feature) {
    return features.contains(Checks.nonNull(feature, "feature"));
  }

  /**
   * The plan's value of a numeric limit, if it declares one.
   *
   * @param name the limit's name, compared exactly ({@link #SEATS})
   * @return the limit, zero or more; empty if the plan does not declare it
   * @throws InvalidRequestException if {@code name} is null
   */
  public OptionalLong limit(String name) {
    Long value = limits.get(Checks.nonNull(name, "limit"));
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
