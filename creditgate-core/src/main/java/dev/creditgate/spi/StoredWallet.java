package dev.creditgate.spi;

import dev.creditgate.model.Wallet;

/** A wallet as loaded, with the version a commit must name to replace it. Immutable. */
public record StoredWallet(Wallet wallet, long version) {
  public StoredWallet {
    if (wallet == null || version < 1) {
      throw new IllegalArgumentException("stored wallet needs a wallet and a version >= 1, got " + version);
    }
  }
}
