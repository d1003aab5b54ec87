package dev.creditgate;

import dev.creditgate.model.AccountId;
import java.time.Instant;
import java.util.AbstractList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * A wallet's open holds, in the order they were reserved: an immutable list that knows what they
 * reserve in all, the earliest expiry among them and, for capped members, what each member's holds
 * reserve. A charge changes no hold, so every wallet version a run of charges makes shares one hold
 * list, and what a charge asks of it (the held credits, whether a hold is due to expire, a member's
 * room) costs the same with one open hold or a thousand. A reserve, a capture, a release or an
 * expiry builds a new list (they change it, and are rarer than charges).
 */
final class HoldList extends AbstractList<Hold> implements RandomAccess {
  static final HoldList EMPTY = new HoldList(new Hold[0], 0, null);

  private final Hold[] holds;
  private final long total;
  /** The earliest expiry of a hold in the list; null when it is empty. */
  private final Instant earliestExpiry;
  /**
   * What the holds of each member reserve, in thousandths: computed on first use (only a capped
   * member's charge asks) and then shared by every wallet version with this list. A benign race:
   * the map is never changed once built and is reached through a final field of its unmodifiable
   * view, so a thread that sees it sees it whole, and two threads computing it get equal maps.
   */
  private Map<AccountId, Long> heldByMember;

  private HoldList(Hold[] holds, long total, Instant earliestExpiry) {
    this.holds = holds;
    this.total = total;
    this.earliestExpiry = earliestExpiry;
  }

  /**
   * {@code holds} as a hold list: the list itself if it is one, else a checked copy.
   *
   * @throws InvalidRequestException if a hold is null
   * @throws CreditOverflowException if the holds reserve more than a credit amount can hold
   */
  static HoldList of(List<Hold> holds) {
    if (holds instanceof HoldList list) {
      return list;
    }
    Arguments.require(holds, "holds");
    if (holds.isEmpty()) {
      return EMPTY;
    }
    Hold[] copy = holds.toArray(new Hold[0]);
    long total = 0;
    Instant earliest = null;
    for (Hold hold : copy) {
      Arguments.require(hold, "hold");
      total = Thousandths.add(total, hold.amount().thousandths());
      if (earliest == null || hold.expiresAt().isBefore(earliest)) {
        earliest = hold.expiresAt();
      }
    }
    return new HoldList(copy, total, earliest);
  }

  /** What the holds reserve in all, in thousandths. */
  long total() {
    return total;
  }

  /** The earliest expiry of an open hold, if there is one. */
  Optional<Instant> earliestExpiry() {
    return Optional.ofNullable(earliestExpiry);
  }

  /** Whether a hold expires at or before {@code at}. */
  boolean anyExpiredAt(Instant at) {
    return earliestExpiry != null && !earliestExpiry.isAfter(at);
  }

  /** What the holds of {@code member} reserve, in thousandths. */
  long heldBy(AccountId member) {
    Map<AccountId, Long> byMember = heldByMember;
    if (byMember == null) {
      Map<AccountId, Long> sums = new HashMap<>();
      for (Hold hold : holds) {
        if (hold.member().isPresent()) {
          sums.merge(hold.member().get(), hold.amount().thousandths(), Thousandths::add);
        }
      }
      // Not Map.copyOf: its linear probing walks long runs for ids that differ only in a counter
      // (see MemberList). The unmodifiable view's final field publishes the map whole.
      byMember = Collections.unmodifiableMap(sums);
      heldByMember = byMember;
    }
    return byMember.getOrDefault(member, 0L);
  }

  @Override
  public Hold get(int index) {
    if (index < 0 || index >= holds.length) {
      throw new IndexOutOfBoundsException("index " + index + " of " + holds.length + " holds");
    }
    return holds[index];
  }

  @Override
  public int size() {
    return holds.length;
  }
}
