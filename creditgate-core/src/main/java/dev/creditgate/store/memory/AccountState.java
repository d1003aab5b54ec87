package dev.creditgate.store.memory;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.LedgerEntry;
import dev.creditgate.spi.Commit;
import dev.creditgate.spi.IdempotencyRecord;
import dev.creditgate.spi.OutboxEvent;
import dev.creditgate.spi.StoredWallet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One account's state. Its monitor guards every change: the swap of {@link #current} and, with it,
 * the ledger, the records, the outbox and the hold index. A decision reads {@link #current} and
 * {@link #records} without it, in that order: each commit stores its records before it publishes
 * its wallet, so a reader that sees a wallet sees the records of its commit (a reader that found a
 * wallet without its records once decided a repeated top-up as a duplicate grant); one that finds
 * a record takes the monitor before it answers from it, since its wallet may not be published yet.
 */
final class AccountState {
  volatile StoredWallet current;
  /** The earliest expiry of an open hold of the current wallet, or null; its key in the index. */
  Instant nextHoldExpiry;
  /**
   * The ledger in commit order, {@code ledgerSize} entries: null before the first, the one entry
   * itself while there is one (an idle wallet's opening grant: a million idle wallets are a million
   * of these, and an array of one would cost each 24 bytes more), then a bare array whose first
   * {@code ledgerSize} slots hold them. Read through {@link #ledgerCopy}.
   */
  private Object ledger;
  private int ledgerSize;
  /**
   * Created by the first record, so a wallet that never had a keyed call costs nothing here; a
   * concurrent map, since a decision looks its key up without the lock.
   */
  volatile ConcurrentHashMap<IdempotencyKey, IdempotencyRecord> records;
  /** With a retention only: the stored keys, oldest first, and when each was stored. */
  Retained retained;
  /** The outbox's undelivered events, in sequence order; created by the first event. */
  ArrayDeque<OutboxEvent> undelivered;
  /** With a retention of delivered events only: those delivered, oldest first, and when. */
  ArrayDeque<Delivered> delivered;
  /** Whether a delivery of this account's events is running (one at a time). */
  boolean delivering;

  /** An event the sink took, kept for the store's retention. */
  record Delivered(OutboxEvent event, Instant at) {}

  /**
   * The stored keys in the order they were stored, and when, by the store's clock: records are
   * only added, and pruned from the oldest.
   */
  static final class Retained {
    final ArrayDeque<IdempotencyKey> keys = new ArrayDeque<>();
    final ArrayDeque<Instant> storedAt = new ArrayDeque<>();
  }

  /** The record of {@code key}, or null; safe without the lock. */
  IdempotencyRecord record(IdempotencyKey key) {
    ConcurrentHashMap<IdempotencyKey, IdempotencyRecord> stored = records;
    return stored == null ? null : stored.get(key);
  }

  AccountState(StoredWallet current) {
    this.current = current;
  }

  /** Whether a key of the commit is already stored: like a lost race, the caller decides again. */
  boolean holdsAnyKeyOf(Commit commit) {
    for (IdempotencyRecord record : commit.records()) {
      if (record(record.key()) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * When the commit's records are stored, by the store's clock, if a retention needs it (else
   * null). Read before the swap changes anything, since the host's clock may throw.
   */
  Instant storesRecordsAt(Commit commit, Duration keyRetention, Clock clock) {
    // Retention is measured by the store's clock, from when a record was stored, never by the
    // time the caller stamped its call: a queued job's call dated two days back keeps its key
    // for the whole retention, like any other.
    return keyRetention == null || commit.records().isEmpty() ? null : clock.instant();
  }

  /** Appends the commit's ledger entries and its events to the outbox; under the monitor. */
  void appendEntriesAndEvents(Commit commit) {
    appendEntries(commit.entries());
    if (!commit.events().isEmpty()) {
      if (undelivered == null) {
        undelivered = new ArrayDeque<>(4);
      }
      undelivered.addAll(commit.events());
    }
  }

  /** Stores the commit's records, stored at {@code now}, and prunes those past the retention; under the monitor. */
  void storeRecords(Commit commit, Instant now, Duration keyRetention) {
    if (commit.records().isEmpty()) {
      return;
    }
    ConcurrentHashMap<IdempotencyKey, IdempotencyRecord> stored = records;
    if (stored == null) {
      stored = new ConcurrentHashMap<>();
      records = stored;
    }
    if (now != null && retained == null) {
      retained = new Retained();
    }
    for (IdempotencyRecord record : commit.records()) {
      stored.put(record.key(), record);
      if (now != null) {
        retained.keys.addLast(record.key());
        retained.storedAt.addLast(now);
      }
    }
    if (now != null) {
      Instant oldest = now.minus(keyRetention);
      while (!retained.storedAt.isEmpty() && retained.storedAt.peekFirst().isBefore(oldest)) {
        retained.storedAt.pollFirst();
        stored.remove(retained.keys.pollFirst());
      }
    }
  }

  /** Folds the oldest entries into a carried-forward balance once the ledger passes its limit. */
  void foldLedger(int ledgerLimit) {
    if (ledgerSize > ledgerLimit) {
      carryForward(ledgerLimit);
    }
  }

  /** Up to {@code limit} undelivered events, oldest first. */
  List<OutboxEvent> undelivered(int limit) {
    if (undelivered == null || undelivered.isEmpty()) {
      return List.of();
    }
    List<OutboxEvent> batch = new ArrayList<>(Math.min(limit, undelivered.size()));
    for (OutboxEvent event : undelivered) {
      if (batch.size() == limit) {
        break;
      }
      batch.add(event);
    }
    return batch;
  }

  /** Marks the oldest {@code count} undelivered events delivered, and prunes those kept too long. */
  void markDelivered(int count, Duration retention, Clock clock) {
    Instant now = retention.isZero() ? null : clock.instant();
    for (int i = 0; i < count; i++) {
      OutboxEvent event = undelivered.pollFirst();
      if (now != null) {
        if (delivered == null) {
          delivered = new ArrayDeque<>();
        }
        delivered.addLast(new Delivered(event, now));
      }
    }
    if (undelivered.isEmpty()) {
      undelivered = null;
    }
    if (now != null) {
      pruneDelivered(retention, now);
    }
  }

  /** Removes the delivered events kept longer than {@code retention} by {@code now}. */
  void pruneDelivered(Duration retention, Instant now) {
    Instant oldest = now.minus(retention);
    while (delivered != null && !delivered.isEmpty() && delivered.peekFirst().at().isBefore(oldest)) {
      delivered.pollFirst();
    }
    if (delivered != null && delivered.isEmpty()) {
      delivered = null;
    }
  }

  /** The ledger's entries in commit order, as a new array; under the monitor. */
  LedgerEntry[] ledgerCopy() {
    if (ledger instanceof LedgerEntry one) {
      return new LedgerEntry[] {one};
    }
    return ledger == null ? InMemoryWalletStore.NO_ENTRIES : Arrays.copyOf((LedgerEntry[]) ledger, ledgerSize);
  }

  private void appendEntries(List<LedgerEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    if (ledger == null && entries.size() == 1) {
      ledger = entries.get(0);
      ledgerSize = 1;
      return;
    }
    LedgerEntry[] array = ledger instanceof LedgerEntry[] a ? a : ledgerCopy();
    int needed = ledgerSize + entries.size();
    if (needed > array.length) {
      // Doubling: appends stay amortized O(1).
      array = Arrays.copyOf(array, Math.max(needed, 2 * array.length));
    }
    for (int i = 0; i < entries.size(); i++) {
      array[ledgerSize++] = entries.get(i);
    }
    ledger = array;
  }

  /**
   * Folds the oldest entries into one balance adjustment per grant, so that the ledger keeps
   * summing to the balances; held amounts always net to zero once a hold is closed, and open
   * holds are carried forward too.
   */
  private void carryForward(int limit) {
    LedgerEntry[] entries = ledgerCopy();
    int fold = ledgerSize - limit / 2;
    Sums balances = new Sums();
    Sums held = new Sums();
    LedgerEntry last = null;
    for (int i = 0; i < fold; i++) {
      LedgerEntry entry = entries[i];
      last = entry;
      (entry.kind().affectsBalance() ? balances : held).add(entry.grant(), entry.amount());
    }
    List<LedgerEntry> carried = new ArrayList<>();
    balances.carry(last, LedgerEntry.Kind.ADJUSTMENT, carried);
    held.carry(last, LedgerEntry.Kind.HOLD, carried);
    LedgerEntry[] kept = new LedgerEntry[Math.max(limit, carried.size() + ledgerSize - fold)];
    for (int i = 0; i < carried.size(); i++) {
      kept[i] = carried.get(i);
    }
    System.arraycopy(entries, fold, kept, carried.size(), ledgerSize - fold);
    ledger = kept;
    ledgerSize = carried.size() + ledgerSize - fold;
  }

  /**
   * What the folded entries sum to per grant, in the order the grants first appear. A fold reads
   * tens of thousands of entries, most of one grant in a row: the running sum of the latest grant
   * is kept at hand, so that those entries are added without a lookup or an allocation each.
   */
  private static final class Sums {
    private final Map<String, long[]> byGrant = new LinkedHashMap<>();
    private String lastGrant;
    private long[] lastSum;

    void add(String grant, Credits amount) {
      long[] sum = lastSum;
      if (!grant.equals(lastGrant)) {
        sum = byGrant.computeIfAbsent(grant, g -> new long[1]);
        lastGrant = grant;
        lastSum = sum;
      }
      try {
        sum[0] = Math.addExact(sum[0], amount.thousandths());
      } catch (ArithmeticException e) {
        String total = Credits.ofThousandths(sum[0]) + " + " + amount;
        throw new CreditOverflowException(total, "the carried-forward sum of grant '" + grant + "', " + total
            + ", overflows");
      }
    }

    /** One {@code kind} entry per grant whose sum is not zero, at {@code last}'s time, into {@code out}. */
    void carry(LedgerEntry last, LedgerEntry.Kind kind, List<LedgerEntry> out) {
      for (Map.Entry<String, long[]> e : byGrant.entrySet()) {
        if (e.getValue()[0] != 0) {
          out.add(new LedgerEntry(last.account(), last.at(), kind, e.getKey(),
              Credits.ofThousandths(e.getValue()[0]), InMemoryWalletStore.CARRIED_FORWARD, ""));
        }
      }
    }
  }
}
