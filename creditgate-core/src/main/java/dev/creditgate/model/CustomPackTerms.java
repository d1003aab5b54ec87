package dev.creditgate.model;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;

import java.util.Optional;

/**
 * The terms of a Custom pack: the customer picks a price between {@code minPrice} and
 * {@code maxPrice} and gets {@code creditsPerMajorUnit} credits per dollar (or other major unit),
 * rounded down to the credit unit. Immutable.
 *
 * @param minPrice the lowest price a customer may pick, positive
 * @param maxPrice the highest price a customer may pick, in the same currency, at least
 *     {@code minPrice}
 * @param creditsPerMajorUnit the credits one major unit of the currency buys ({@code 10} per
 *     dollar in the default catalog), positive
 */
public record CustomPackTerms(Money minPrice, Money maxPrice, Credits creditsPerMajorUnit) {

  /**
   * Checks the terms.
   *
   * @param minPrice the lowest price, positive
   * @param maxPrice the highest price, in the same currency, at least {@code minPrice}
   * @param creditsPerMajorUnit the credits one major unit buys, positive
   * @throws InvalidRequestException naming the value unless {@code 0 < minPrice <= maxPrice}, both
   *     in one currency, and the rate is positive
   */
  public CustomPackTerms {
    Checks.nonNull(minPrice, "minPrice");
    Checks.nonNull(maxPrice, "maxPrice");
    Checks.nonNull(creditsPerMajorUnit, "creditsPerMajorUnit");
    minPrice.requireSameCurrency(maxPrice);
    if (minPrice.isZero()) {
      throw new InvalidRequestException("minPrice", minPrice.toString(),
          "custom pack bounds must satisfy 0 < min <= max but the minimum was " + minPrice);
    }
    if (minPrice.compareTo(maxPrice) > 0) {
      throw new InvalidRequestException("maxPrice", maxPrice.toString(),
          "custom pack bounds must satisfy 0 < min <= max but were " + minPrice + " and " + maxPrice);
    }
    if (!creditsPerMajorUnit.isPositive()) {
      throw new InvalidRequestException("creditsPerMajorUnit", creditsPerMajorUnit.toString(),
          "custom pack rate must be positive but was " + creditsPerMajorUnit);
    }
  }

  private long minorPerMajor() {
    long units = 1;
    for (int i = 0; i < minPrice.currency().getDefaultFractionDigits(); i++) {
      units *= 10;
    }
    return units;
  }

  /**
   * The credits a custom pack at {@code price} buys.
   *
   * @param price the price the customer picked, within the bounds
   * @return {@code price x creditsPerMajorUnit}, rounded down to the credit unit
   * @throws CreditOverflowException if that many credits do not fit
   * @throws InvalidRequestException if the price is outside the bounds or in another currency
   */
  public Credits creditsFor(Money price) {
    Checks.nonNull(price, "price");
    minPrice.requireSameCurrency(price);
    if (price.compareTo(minPrice) < 0 || price.compareTo(maxPrice) > 0) {
      throw new InvalidRequestException("price", price.toString(),
          "custom pack price " + price + " is outside the bounds " + minPrice + " to " + maxPrice);
    }
    try {
      long numerator = Math.multiplyExact(price.minorUnits(), creditsPerMajorUnit.thousandths());
      return Credits.ofThousandths(numerator / minorPerMajor());
    } catch (ArithmeticException e) {
      throw new CreditOverflowException(price.toString(),
          "custom pack price " + price + " buys more credits than fit");
    }
  }

  /**
   * The lowest price within the bounds whose custom pack buys at least {@code credits}.
   *
   * @param credits the credits wanted, such as a denial's shortfall; zero or less asks for the
   *     minimum price
   * @return that price, in whole minor units and at least {@code minPrice}; empty if even
   *     {@code maxPrice} buys fewer credits
   * @throws InvalidRequestException if {@code credits} is null
   */
  public Optional<Money> cheapestPriceFor(Credits credits) {
    Checks.nonNull(credits, "credits");
    long per = minorPerMajor();
    long rate = creditsPerMajorUnit.thousandths();
    // smallest minor such that floor(minor * rate / per) >= credits  <=>  minor * rate >= credits * per
    long needed;
    try {
      long target = Math.multiplyExact(Math.max(0, credits.thousandths()), per);
      needed = Math.floorDiv(target, rate) + (Math.floorMod(target, rate) == 0 ? 0 : 1);
    } catch (ArithmeticException e) {
      return Optional.empty();
    }
    long minor = Math.max(needed, minPrice.minorUnits());
    if (minor > maxPrice.minorUnits()) {
      return Optional.empty();
    }
    return Optional.of(new Money(minor, minPrice.currency()));
  }
}
