package dev.creditgate;

import dev.creditgate.model.LedgerEntry;
import dev.creditgate.model.WalletEvent;


import java.util.ArrayList;
import java.util.List;

/**
 * The result of a pure wallet transition: the wallet after it, the ledger entries that record it
 * and the events to publish once it is committed. Immutable.
 */
record Transition(Wallet wallet, List<LedgerEntry> entries, List<WalletEvent> events) {

  public Transition {
    Arguments.require(wallet, "wallet");
    entries = List.copyOf(entries);
    events = List.copyOf(events);
  }

  /** A transition that changes nothing. */
  public static Transition none(Wallet wallet) {
    return new Transition(wallet, List.of(), List.of());
  }

  public boolean changesNothing() {
    return entries.isEmpty() && events.isEmpty();
  }

  /** This transition followed by {@code next}, which must start from this one's wallet. */
  public Transition then(Transition next) {
    if (entries.isEmpty() && events.isEmpty()) {
      return next;
    }
    List<LedgerEntry> allEntries = new ArrayList<>(entries);
    allEntries.addAll(next.entries);
    List<WalletEvent> allEvents = new ArrayList<>(events);
    allEvents.addAll(next.events);
    return new Transition(next.wallet, allEntries, allEvents);
  }
}
