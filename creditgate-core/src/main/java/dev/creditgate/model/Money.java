package dev.creditgate.model;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * An exact amount of money: a whole number of the currency's minor units (cents for USD), zero
 * or more.
 *
 * <p>Immutable and thread-safe. creditgate never takes payments; money only prices plans and
 * packs, so it offers just what pricing needs. A price is never negative, so neither is
 * {@code Money}: every amount it is built from is checked.
 *
 * <pre>{@code
 * Money pro = Money.of("20", "USD");   // $20.00
 * }</pre>
 *
 * @param minorUnits the amount in the currency's minor units, zero or more: {@code 2000} is $20.00
 * @param currency the ISO 4217 currency
 */
public record Money(long minorUnits, Currency currency) implements Comparable<Money> {

  /**
   * Checks the amount.
   *
   * @param minorUnits the amount in minor units, zero or more
   * @param currency the currency, not null
   * @throws InvalidRequestException naming the amount if it is negative, or if the currency is
   *     null
   */
  public Money {
    Checks.nonNull(currency, "currency");
    if (minorUnits < 0) {
      throw new InvalidRequestException("amount", Long.toString(minorUnits), "amount must not be negative but was "
          + minorUnits + " minor units of " + currency.getCurrencyCode());
    }
  }

  /**
   * Parses {@code amount} in {@code currencyCode}, e.g. {@code Money.of("49.99", "USD")}.
   *
   * @param amount a decimal in major units ({@code "49.99"}, {@code "20"}), in the form
   *     {@link BigDecimal#BigDecimal(String)} reads; surrounding whitespace is ignored
   * @param currencyCode the ISO 4217 code, such as {@code "USD"} or {@code "EUR"}
   * @return the exact amount, in minor units of the currency
   * @throws InvalidRequestException for a negative amount, an unknown currency or more decimals
   *     than it has
   * @throws CreditOverflowException if the amount does not fit in a {@code long} of minor units
   */
  public static Money of(String amount, String currencyCode) {
    Checks.nonNull(amount, "amount");
    Checks.nonNull(currencyCode, "currency");
    Currency currency;
    try {
      currency = Currency.getInstance(currencyCode);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("currency", currencyCode,
          "currency '" + currencyCode + "' is not an ISO 4217 code");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(amount.trim());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("amount", amount, "amount '" + amount + "' is not a decimal number");
    }
    if (value.signum() < 0) {
      throw new InvalidRequestException("amount", amount,
          "amount '" + amount + "' must not be negative: a price is zero or more");
    }
    int digits = Math.max(0, currency.getDefaultFractionDigits());
    if ((long) value.precision() - value.scale() > 19) {
      throw new CreditOverflowException(amount, "amount '" + amount + "' does not fit in creditgate's range");
    }
    BigDecimal minor = value.movePointRight(digits);
    if (minor.stripTrailingZeros().scale() > 0) {
      throw new InvalidRequestException("amount", amount,
          "amount '" + amount + "' has more decimals than " + currencyCode + " allows");
    }
    try {
      return new Money(minor.longValueExact(), currency);
    } catch (ArithmeticException e) {
      throw new CreditOverflowException(amount, "amount '" + amount + "' does not fit in creditgate's range");
    }
  }

  /**
   * US dollars, the default catalog's currency.
   *
   * @param amount a decimal in dollars, no finer than a cent: {@code "9.99"}
   * @return the amount in cents
   * @throws InvalidRequestException for a negative amount or one finer than a cent
   * @throws CreditOverflowException if the amount does not fit in a {@code long} of cents
   */
  public static Money usd(String amount) {
    return of(amount, "USD");
  }

  /**
   * Whether this is no money: a free plan's price.
   *
   * @return {@code true} for zero minor units
   */
  public boolean isZero() {
    return minorUnits == 0;
  }

  /**
   * The amount as a decimal in major units, e.g. {@code 20.00}.
   *
   * @return the amount with as many decimals as the currency has (two for USD, none for JPY)
   */
  public BigDecimal amount() {
    return BigDecimal.valueOf(minorUnits, Math.max(0, currency.getDefaultFractionDigits()));
  }

  /**
   * Orders amounts of one currency.
   *
   * @param other an amount in the same currency, not null
   * @return negative, zero or positive as {@code this} is less than, equal to or more than
   *     {@code other}
   * @throws InvalidRequestException if {@code other} is in another currency
   */
  @Override
  public int compareTo(Money other) {
    requireSameCurrency(other);
    return Long.compare(minorUnits, other.minorUnits);
  }

  void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new InvalidRequestException("currency", other.currency.getCurrencyCode(),
          "money in " + other.currency + " cannot be compared with money in " + currency);
    }
  }

  /**
   * {@code "$20.00"} for US dollars, {@code "EUR 9.50"} otherwise.
   *
   * @return the amount for people to read, with every decimal of the currency
   */
  @Override
  public String toString() {
    String symbol = currency.getCurrencyCode().equals("USD") ? "$" : currency.getCurrencyCode() + " ";
    return symbol + amount().toPlainString();
  }
}
