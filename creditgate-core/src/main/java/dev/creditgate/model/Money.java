package dev.creditgate.model;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * An exact amount of money: a whole number of the currency's minor units (cents for USD).
 *
 * <p>Immutable and thread-safe. creditgate never takes payments; money only prices plans and
 * packs, so it offers just what pricing needs.
 *
 * <pre>{@code
 * Money pro = Money.of("20", "USD");   // $20.00
 * }</pre>
 */
public record Money(long minorUnits, Currency currency) implements Comparable<Money> {

  public Money {
    InvalidRequestException.requireNonNull(currency, "currency");
  }

  /**
   * Parses {@code amount} in {@code currencyCode}, e.g. {@code Money.of("49.99", "USD")}.
   *
   * @throws InvalidRequestException for an unknown currency or more decimals than it has
   */
  public static Money of(String amount, String currencyCode) {
    InvalidRequestException.requireNonNull(amount, "amount");
    InvalidRequestException.requireNonNull(currencyCode, "currency");
    Currency currency;
    try {
      currency = Currency.getInstance(currencyCode);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("currency '" + currencyCode + "' is not an ISO 4217 code");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(amount.trim());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("amount '" + amount + "' is not a decimal number");
    }
    int digits = Math.max(0, currency.getDefaultFractionDigits());
    if ((long) value.precision() - value.scale() > 19) {
      throw new CreditOverflowException("amount '" + amount + "' does not fit in creditgate's range");
    }
    BigDecimal minor = value.movePointRight(digits);
    if (minor.stripTrailingZeros().scale() > 0) {
      throw new InvalidRequestException(
          "amount '" + amount + "' has more decimals than " + currencyCode + " allows");
    }
    try {
      return new Money(minor.longValueExact(), currency);
    } catch (ArithmeticException e) {
      throw new CreditOverflowException("amount '" + amount + "' does not fit in creditgate's range");
    }
  }

  /** US dollars, the default catalog's currency. */
  public static Money usd(String amount) {
    return of(amount, "USD");
  }

  public boolean isZero() {
    return minorUnits == 0;
  }

  public boolean isNegative() {
    return minorUnits < 0;
  }

  /** The amount as a decimal in major units, e.g. {@code 20.00}. */
  public BigDecimal amount() {
    return BigDecimal.valueOf(minorUnits, Math.max(0, currency.getDefaultFractionDigits()));
  }

  @Override
  public int compareTo(Money other) {
    requireSameCurrency(other);
    return Long.compare(minorUnits, other.minorUnits);
  }

  void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new InvalidRequestException(
          "money in " + other.currency + " cannot be compared with money in " + currency);
    }
  }

  /** {@code "$20.00"} for US dollars, {@code "EUR 9.50"} otherwise. */
  @Override
  public String toString() {
    String symbol = currency.getCurrencyCode().equals("USD") ? "$" : currency.getCurrencyCode() + " ";
    return symbol + amount().toPlainString();
  }
}
