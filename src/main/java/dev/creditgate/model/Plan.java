package dev.creditgate.model;

import java.util.Set;

/**
 * A subscription plan: its monthly price, the credits it grants each period, its seats and its
 * feature flags. Immutable; prices and allowances are data, set in the {@link Catalog}.
 */
public record Plan(String id, String name, Money monthlyPrice, Credits monthlyCredits, int seats,
    Set<String> features) {

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
    InvalidRequestException.requirePositive(seats, "plan '" + id + "' seats");
    features = Set.copyOf(InvalidRequestException.requireNonNull(features, "features"));
  }

  public boolean hasFeature(String feature) {
    return features.contains(feature);
  }
}
