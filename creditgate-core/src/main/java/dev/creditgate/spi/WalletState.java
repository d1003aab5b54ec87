package dev.creditgate.spi;

/**
 * One wallet's state, opaque to stores: a store keeps it and hands it back, and never reads inside.
 * Only the gate makes and changes wallets; a store persists them through the one format core owns.
 *
 * <p>{@link #encoded()} is that format: a version tag, then every field length-prefixed. A store
 * that keeps wallets in memory keeps the object it was given and never asks for the text; a store
 * that persists wallets stores {@link #encoded()} verbatim and reads it back with
 * {@link #ofEncoded(String)}. Every later release reads what an earlier one wrote (pinned by the
 * testkit's golden files). Implementations are immutable and thread-safe.
 */
public interface WalletState {

  /**
   * The versioned text of this wallet, as a persistent store keeps it. Pure; may be computed on
   * each call.
   *
   * @return the non-empty text to store verbatim and hand back to {@link #ofEncoded(String)}
   */
  String encoded();

  /**
   * A wallet as a persistent store reads it back: the text {@link #encoded()} gave, verbatim. The
   * gate decodes it when it uses the wallet.
   *
   * @param text the stored text, exactly as {@link #encoded()} gave it
   * @return a state whose {@link #encoded()} is {@code text}; it is not checked until the gate
   *     decodes it
   * @throws dev.creditgate.InvalidRequestException if {@code text} is null or empty
   */
  static WalletState ofEncoded(String text) {
    return new EncodedWalletState(text);
  }
}
