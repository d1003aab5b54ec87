package dev.creditgate.postgresql;

import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletState;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The wallets this store committed last, by account, so that a read that finds one of them
 * unchanged in its row hands back the object the gate committed, which the gate uses as it is,
 * instead of its text, which the gate would decode again.
 *
 * <p>The object is used only when the row read holds exactly the text the object was written as
 * (string equality) at the version it was written at. The gate's wallet is a pure function of its
 * text, so such an object is the very wallet the text decodes to: whatever wrote the row (another
 * instance, a restore, a hand-made {@code UPDATE}), a row whose text differs by one character is
 * handed back as its text, as without the cache. The cache can therefore never be stale in a way
 * that matters, and needs no invalidation: an entry is only ever a shortcut for decoding.
 *
 * <p>Bounded: a fixed array of {@value #SLOTS} slots, one entry each, indexed by a hash of the
 * account (two accounts of one slot take turns). Thread-safe without locks: entries are immutable
 * and replaced whole.
 */
final class WalletCache {
  /** How many wallets the cache keeps at most: {@value} (a power of two). */
  static final int SLOTS = 4096;

  /** A wallet as committed: its account, the version and text of its row, and the gate's object. */
  private record Entry(String account, long version, String text, WalletState state) {}

  private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

  /**
   * The wallet of a row of {@code account} read as {@code version} and {@code text}: the object
   * remembered for exactly that version and text, or else the text as it is.
   */
  StoredWallet stored(String account, long version, String text) {
    Entry e = slots.get(slot(account));
    if (e != null && e.version == version && e.account.equals(account) && e.text.equals(text)) {
      return new StoredWallet(e.state, version);
    }
    return Reads.storedWallet(version, text);
  }

  /**
   * Remembers that {@code account}'s row was written as {@code version} and {@code text}, the
   * encoding of {@code state}.
   */
  void remember(String account, long version, String text, WalletState state) {
    slots.set(slot(account), new Entry(account, version, text, state));
  }

  /** The slot of {@code account}: its hash, spread (ids that differ in their last digits land far apart). */
  static int slot(String account) {
    return (account.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(SLOTS));
  }
}
