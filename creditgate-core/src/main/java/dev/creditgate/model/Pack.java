package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * A credit pack on sale: its price (zero or more, as every {@link Money}) and the credits it adds at
 * once (positive). Pack credits never expire. The id and name are at most 100 characters, not blank,
 * without U+0000 or lone surrogates. Immutable.
 */
public record Pack(String id, String name, Money price, Credits credits) {
  public Pack {
    Checks.text(id, "pack id", 100);
    Checks.text(name, "pack name", 100);
    Checks.nonNull(price, "price");
    Checks.nonNull(credits, "credits");
    if (!credits.isPositive()) {
      throw new InvalidRequestException("credits", credits.toString(),
          "pack '" + id + "' credits must be positive but was " + credits);
    }
  }
}
