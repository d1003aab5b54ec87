package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * A credit pack on sale: its price and the credits it adds at once. Pack credits never expire.
 * Immutable.
 */
public record Pack(String id, String name, Money price, Credits credits) {
  public Pack {
    InvalidRequestException.requireText(id, "pack id", 100);
    InvalidRequestException.requireText(name, "pack name", 100);
    InvalidRequestException.requireNonNull(price, "price");
    InvalidRequestException.requireNonNull(credits, "credits");
    if (!credits.isPositive()) {
      throw new InvalidRequestException("pack '" + id + "' credits must be positive but was " + credits);
    }
  }
}
