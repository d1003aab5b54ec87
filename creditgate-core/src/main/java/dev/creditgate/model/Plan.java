package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A subscription plan: its monthly price, the credits it grants each period, and its entitlements
 * beside credits: boolean feature flags ({@code "priority-support"}) and numeric limits
 * ({@link #SEATS}). Immutable; prices, allowances and entitlements are data, set in the
 * {@link Catalog}.
 */
public record Plan(String id, String name, Money monthlyPrice, Credits monthlyCredits, Set<String> features,
    Map<String, Long> limits) {

  /** The numeric limit every plan has: how many members may share its wallet (at least 1). */
  public static final String SEATS = "seats";

  public Plan {
    InvalidRequestException.requireText(id, "plan id", 100);
    InvalidRequestException.requireText(name, "plan name", 100);
    InvalidRequestException.requireNonNull(monthlyPrice, "monthlyPrice");
    InvalidRequestException.requireNonNull(monthlyCredits, "monthlyCredits");
    if (monthlyPrice.isNegative()) {
      throw new InvalidRequestException("plan '" + id + "' price must not be negative but was " + monthlyPrice);
    }
    if (monthlyCredits.isNegative()) {
      throw new InvalidRequestException(
          "plan '" + id + "' monthly credits must not be negative but was " + monthlyCredits);
    }
    features = Set.copyOf(InvalidRequestException.requireNonNull(features, "features"));
    Map<String, Long> copy = new HashMap<>(InvalidRequestException.requireNonNull(limits, "limits"));
    copy.putIfAbsent(SEATS, 1L);
    for (Map.Entry<String, Long> limit : copy.entrySet()) {
      if (limit.getValue() == null || limit.getValue() < 0) {
        throw new InvalidRequestException("plan '" + id + "' limit " + limit.getKey()
            + " must not be negative but was " + limit.getValue());
      }
    }
    InvalidRequestException.requirePositive(copy.get(SEATS), "plan '" + id + "' seats");
    limits = Map.copyOf(copy);
  }

  /** A plan whose only numeric limit is its seat count. */
  public Plan(String id, String name, Money monthlyPrice, Credits monthlyCredits, int seats, Set<String> features) {
    this(id, name, monthlyPrice, monthlyCredits, features, Map.of(SEATS, (long) seats));
  }

  /** How many members may share the wallet. */
  public int seats() {
    return Math.toIntExact(limits.get(SEATS));
  }

  public boolean hasFeature(String feature) {
    return features.contains(feature);
  }

  /** The plan's value of a numeric limit, if it declares one. */
  public OptionalLong limit(String name) {
    Long value = limits.get(name);
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
