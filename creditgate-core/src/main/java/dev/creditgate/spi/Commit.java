package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One change to commit atomically: the new wallet state, its ledger entries, the idempotency
 * records of the call that made it (usually one; none when a wallet is opened), and the events it
 * caused. Made by the gate; immutable.
 *
 * <p>The events go into the store's outbox in the same commit, undelivered: the gate delivers
 * them right after the commit, and whatever it could not deliver then (a failed sink, a lost
 * reply, a stopped process) it delivers later through {@link WalletStore#deliverEvents}. Their
 * sequence numbers continue the account's without a gap.
 *
 * @param account the wallet's account
 * @param expectedVersion the version the change was computed from; 0 creates the wallet
 * @param state the wallet after the change, opaque to the store
 * @param entries the ledger entries to append, in the order to read them back; unmodifiable
 * @param records new idempotency records, keys distinct and not yet stored for this account;
 *     unmodifiable
 * @param events the events the change caused, in sequence order, to record in the outbox;
 *     unmodifiable
 * @param nextHoldExpiry the earliest expiry of the wallet's open holds after the change, if it has
 *     any: what {@link WalletStore#accountsWithHoldsExpiredBy} searches by
 */
public record Commit(AccountId account, long expectedVersion, WalletState state, List<LedgerEntry> entries,
    List<IdempotencyRecord> records, List<OutboxEvent> events, Optional<Instant> nextHoldExpiry) {
  /**
   * Checks the commit and keeps unmodifiable copies of its lists.
   *
   * @param account the wallet's account
   * @param expectedVersion the version the change was computed from, 0 or more
   * @param state the wallet after the change
   * @param entries the ledger entries to append, possibly none
   * @param records the idempotency records to store, possibly none
   * @param events the events the change caused, in sequence order, possibly none
   * @param nextHoldExpiry the earliest expiry of an open hold after the change, or empty
   * @throws InvalidRequestException if a component is null, {@code expectedVersion} is negative,
   *     two records have one key, or an event is another account's or out of sequence
   */
  public Commit {
    if (account == null || state == null || entries == null || records == null || events == null
        || nextHoldExpiry == null) {
      throw new InvalidRequestException("commit", null, "a commit's fields must not be null (account " + account + ")");
    }
    if (expectedVersion < 0) {
      throw new InvalidRequestException("expectedVersion", Long.toString(expectedVersion),
          "expected version must not be negative but was " + expectedVersion);
    }
    entries = List.copyOf(entries);
    records = List.copyOf(records);
    events = List.copyOf(events);
    for (int i = 1; i < events.size(); i++) {
      if (events.get(i).id().sequence() != events.get(i - 1).id().sequence() + 1) {
        throw new InvalidRequestException("events", events.get(i).id().toString(),
            "event " + events.get(i).id() + " does not follow " + events.get(i - 1).id() + " in one commit");
      }
    }
    for (OutboxEvent event : events) {
      if (!event.id().account().equals(account)) {
        throw new InvalidRequestException("events", event.id().toString(),
            "event " + event.id() + " is not about the committed account '" + account + "'");
      }
    }
    // Nearly every commit has one record: no set to build for it.
    if (records.size() > 1) {
      Set<IdempotencyKey> keys = new HashSet<>();
      for (IdempotencyRecord record : records) {
        if (!keys.add(record.key())) {
          throw new InvalidRequestException("records", record.key().value(),
              "key '" + record.key() + "' appears twice in one commit");
        }
      }
    }
  }
}
