package dev.creditgate.spi;

/** A wallet read back as text; decoded by the gate when used. */
record EncodedWalletState(String encoded) implements WalletState {
  EncodedWalletState {
    if (encoded == null || encoded.isEmpty()) {
      throw new IllegalArgumentException("an encoded wallet state must not be null or empty");
    }
  }
}
