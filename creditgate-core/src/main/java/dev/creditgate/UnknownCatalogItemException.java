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
    /** A plan id, e.g. one given to {@code changePlan}. */
    PLAN,
    /** A pack id, e.g. one given to {@code topUp}. */
    PACK
  }

  /** Whether a plan or a pack was asked for. */
  private final Kind kind;
  /** The id the catalog does not list. */
  private final String id;

  /**
   * The catalog lists no {@code kind} with the id {@code id}.
   *
   * @param kind whether a plan or a pack was asked for
   * @param id the id the catalog does not list
   */
  public UnknownCatalogItemException(Kind kind, String id) {
    super(kind.name().toLowerCase(Locale.ROOT) + " '" + id + "' is not in the catalog");
    this.kind = kind;
    this.id = id;
  }

  /**
   * Whether a plan or a pack was asked for.
   *
   * @return {@link Kind#PLAN} or {@link Kind#PACK}
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The id the catalog does not list.
   *
   * @return the plan or pack id that was looked up, as given
   */
  public String id() {
    return id;
  }
}
