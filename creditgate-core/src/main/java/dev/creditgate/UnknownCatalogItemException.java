package dev.creditgate;

/** A plan or pack id that the catalog does not list. */
public final class UnknownCatalogItemException extends CreditGateException {
  private static final long serialVersionUID = 1L;

  public UnknownCatalogItemException(String kind, String id) {
    super(kind + " '" + id + "' is not in the catalog");
  }
}
