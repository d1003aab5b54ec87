package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;

/**
 * A wallet as loaded, with the version a commit must name to replace it. Immutable.
 *
 * @param state the wallet, opaque to the store: the object committed, or its text read back
 *     ({@link WalletState#ofEncoded})
 * @param version how many commits the wallet has had, 1 for a wallet just opened; a commit
 *     naming it as {@link Commit#expectedVersion()} stores {@code version + 1}
 */
public record StoredWallet(WalletState state, long version) {
  /**
   * Checks the wallet.
   *
   * @param state the wallet
   * @param version its version, 1 or more
   * @throws InvalidRequestException if {@code state} is null or {@code version} is below 1
   */
  public StoredWallet {
    if (state == null || version < 1) {
      throw new InvalidRequestException("version", Long.toString(version),
          "stored wallet needs a state and a version >= 1, got " + version);
    }
  }
}
