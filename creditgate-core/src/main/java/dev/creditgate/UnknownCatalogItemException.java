package dev.creditgate;

import java.util.Locale;

/**
 * A plan or pack id that the catalog does not list. Nothing was changed; retrying the same call
 * fails the same way.
 */
public final class UnknownCatalogItemException extends CreditGateException {
  private static final long serialVersionUID = 1L;

  /** What kind of catalog item was asked for. */
  public enum Kind {
    PLAN,
    PACK
  }

  private final Kind kind;
  private final String id;

  public UnknownCatalogItemException(Kind kind, String id) {
    super(kind.name().toLowerCase(Locale.ROOT) + " '" + id + "' is not in the catalog");
    this.kind = kind;
    this.id = id;
  }

  /** Whether a plan or a pack was asked for. */
  public Kind kind() {
    return kind;
  }

  /** The id the catalog does not list. */
  public String id() {
    return id;
  }
}
