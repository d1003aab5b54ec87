package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;

/** A wallet read back as text; decoded by the gate when used. */
record EncodedWalletState(String encoded) implements WalletState {
  EncodedWalletState {
    if (encoded == null || encoded.isEmpty()) {
      throw new InvalidRequestException("encoded", encoded, "an encoded wallet state must not be null or empty");
    }
  }
}
