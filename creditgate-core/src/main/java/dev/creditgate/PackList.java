package dev.creditgate;

import dev.creditgate.model.Credits;


import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A wallet's pack grants, oldest purchase first: an immutable list that knows its total and shares
 * its storage between versions. A charge only ever touches the oldest grants (it lowers the first
 * or drops it), and those changes are O(1) here, so a charge costs the same with one grant or a
 * thousand. Changes elsewhere in the list (a top-up, a refund) copy it, as they are rare.
 *
 * <p>Every grant in the list has credits left: a grant spent to zero leaves the wallet.
 */
final class PackList extends AbstractList<PackGrant> implements RandomAccess {
  static final PackList EMPTY = new PackList(null, new PackGrant[0], 0, 0);

  /** The first grant, which may be a newer version of {@code grants[from]}; null when empty. */
  private final PackGrant first;
  /** Shared by versions: the grants after the first are {@code grants[from + 1 ..]}. */
  private final PackGrant[] grants;
  private final int from;
  private final long total;

  private PackList(PackGrant first, PackGrant[] grants, int from, long total) {
    this.first = first;
    this.grants = grants;
    this.from = from;
    this.total = total;
  }

  /**
   * {@code grants} as a pack list: the list itself if it is one, else a checked copy.
   *
   * @throws InvalidRequestException if a grant has no credits left
   */
  static PackList of(List<PackGrant> grants) {
    if (grants instanceof PackList list) {
      return list;
    }
    PackGrant[] copy = grants.toArray(new PackGrant[0]);
    long total = 0;
    for (PackGrant grant : copy) {
      Arguments.require(grant, "pack grant");
      if (!grant.remaining().isPositive()) {
        throw new InvalidRequestException("an empty grant '" + grant.id() + "' must not stay in a wallet");
      }
      total = Thousandths.add(total, grant.remaining().thousandths());
    }
    return copy.length == 0 ? EMPTY : new PackList(copy[0], copy, 0, total);
  }

  /** The credits left in all grants, in thousandths. */
  long total() {
    return total;
  }

  @Override
  public PackGrant get(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size() + " pack grants");
    }
    return index == 0 ? first : grants[from + index];
  }

  @Override
  public int size() {
    return grants.length - from;
  }

  /** This list with its first grant replaced by {@code grant} (same grant, fewer credits left). */
  PackList withFirst(PackGrant grant) {
    requireNotEmpty();
    if (!grant.remaining().isPositive()) {
      throw new IllegalStateException("an empty grant '" + grant.id() + "' must leave the wallet");
    }
    return new PackList(grant, grants, from,
        Thousandths.add(total, Thousandths.add(grant.remaining().thousandths(), -first.remaining().thousandths())));
  }

  /** This list without its first grant. */
  PackList withoutFirst() {
    requireNotEmpty();
    if (size() == 1) {
      return EMPTY;
    }
    long rest = Thousandths.add(total, -first.remaining().thousandths());
    int next = from + 1;
    if (next > grants.length - next) {
      // More spent grants than live ones behind the shared array: copy the live ones so that spent
      // grants do not stay reachable (amortized O(1), as each copy at least halves the array).
      PackGrant[] live = Arrays.copyOfRange(grants, next, grants.length);
      return new PackList(live[0], live, 0, rest);
    }
    return new PackList(grants[next], grants, next, rest);
  }

  private void requireNotEmpty() {
    if (first == null) {
      throw new IllegalStateException("a wallet without pack grants has no first grant to change");
    }
  }

  /** This list with the grant at {@code index} replaced by {@code grant} or, if null, removed. */
  PackList with(int index, PackGrant grant) {
    if (index == 0) {
      return grant == null ? withoutFirst() : withFirst(grant);
    }
    List<PackGrant> copy = new ArrayList<>(this);
    if (grant == null) {
      copy.remove(index);
    } else {
      copy.set(index, grant);
    }
    return of(copy);
  }

  /** This list with {@code grant} inserted at {@code index}. */
  PackList inserting(int index, PackGrant grant) {
    List<PackGrant> copy = new ArrayList<>(size() + 1);
    copy.addAll(this);
    copy.add(index, grant);
    return of(copy);
  }
}
