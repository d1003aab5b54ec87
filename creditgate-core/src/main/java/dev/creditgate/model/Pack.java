package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * A credit pack on sale: its price (zero or more, as every {@link Money}) and the credits it adds
 * at once (positive). Pack credits never expire. The id and name are at most 100 characters, not
 * blank, without U+0000 or lone surrogates. Immutable.
 *
 * @param id the pack's id, unique in its {@link Catalog}, which a top-up names ({@code "small"})
 * @param name the name to show ({@code "Small"})
 * @param price what the host charges for one purchase (creditgate never takes the payment)
 * @param credits the credits one purchase grants
 */
public record Pack(String id, String name, Money price, Credits credits) {
  /**
   * Checks the pack.
   *
   * @param id the pack's id, at most 100 characters
   * @param name the name to show, at most 100 characters
   * @param price the price, in any currency
   * @param credits the credits one purchase grants, positive
   * @throws InvalidRequestException naming the value: a null or malformed id or name, a null
   *     price, or credits that are null, zero or negative
   */
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
