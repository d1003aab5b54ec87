package dev.creditgate.spi;

/** A wallet as loaded, with the version a commit must name to replace it. Immutable. */
public record StoredWallet(WalletState state, long version) {
  public StoredWallet {
    if (state == null || version < 1) {
      throw new IllegalArgumentException("stored wallet needs a state and a version >= 1, got " + version);
    }
  }
}
