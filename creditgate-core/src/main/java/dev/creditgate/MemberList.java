package dev.creditgate;

import dev.creditgate.model.AccountId;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The members of a team wallet, in the order they joined: an immutable list that finds a member by
 * id in O(1) and replaces one member's record (what a member's charge does to count its spending)
 * without copying the others. The members are kept in chunks of {@value #CHUNK}; a replacement
 * copies the chunk index and one chunk, and shares the rest and the id index with the list it came
 * from, so a member's charge costs about the same in a team of one or of a thousand. Joining,
 * leaving and the renewal's reset build a new list (they are rarer than charges).
 */
final class MemberList extends AbstractList<Member> implements RandomAccess {
  static final int CHUNK = 32;
  static final MemberList EMPTY = new MemberList(new Member[0][], 0, Map.of());

  /** The members, {@value #CHUNK} to a chunk; shared between versions but for the chunks replaced. */
  private final Member[][] chunks;
  private final int size;
  /**
   * Each member's position; shared between versions, as a replacement keeps every id where it was.
   * A {@link HashMap}, never changed once built, not a {@code Map.copyOf}: the immutable map probes
   * its table linearly, and ids that differ only in a counter ({@code member-1}, {@code member-2})
   * have neighbouring hash codes, so in a team of 1,000 a lookup walked long runs of them (measured:
   * 120 to 570 ns a lookup, against 21 to 38 ns in a {@code HashMap}).
   */
  private final Map<AccountId, Integer> index;

  private MemberList(Member[][] chunks, int size, Map<AccountId, Integer> index) {
    this.chunks = chunks;
    this.size = size;
    this.index = index;
  }

  /**
   * {@code members} as a member list: the list itself if it is one, else a checked copy.
   *
   * @throws InvalidRequestException if a member is null or appears twice
   */
  static MemberList of(List<Member> members) {
    if (members instanceof MemberList list) {
      return list;
    }
    Arguments.require(members, "members");
    if (members.isEmpty()) {
      return EMPTY;
    }
    int size = members.size();
    Member[][] chunks = new Member[(size + CHUNK - 1) / CHUNK][];
    Map<AccountId, Integer> index = new HashMap<>(size * 2);
    for (int c = 0; c < chunks.length; c++) {
      chunks[c] = new Member[Math.min(CHUNK, size - c * CHUNK)];
    }
    for (int i = 0; i < size; i++) {
      Member m = Arguments.require(members.get(i), "member");
      if (index.putIfAbsent(m.id(), i) != null) {
        throw new InvalidRequestException("member '" + m.id() + "' appears twice");
      }
      chunks[i / CHUNK][i % CHUNK] = m;
    }
    return new MemberList(chunks, size, index);
  }

  /** The position of the member {@code id}, or -1 when they are not a member. */
  int positionOf(AccountId id) {
    Integer position = index.get(id);
    return position == null ? -1 : position;
  }

  /**
   * This list with the member at {@code position} replaced by {@code member}, who must be the same
   * member (the same id) in a new state.
   *
   * @throws IllegalArgumentException if {@code member} is someone else
   */
  MemberList replacing(int position, Member member) {
    Member old = get(position);
    if (!old.id().equals(member.id())) {
      throw new IllegalArgumentException("member " + member.id() + " cannot replace member " + old.id());
    }
    Member[][] copy = chunks.clone();
    int c = position / CHUNK;
    copy[c] = Arrays.copyOf(chunks[c], chunks[c].length);
    copy[c][position % CHUNK] = member;
    return new MemberList(copy, size, index);
  }

  @Override
  public Member get(int position) {
    if (position < 0 || position >= size) {
      throw new IndexOutOfBoundsException("index " + position + " of " + size + " members");
    }
    return chunks[position / CHUNK][position % CHUNK];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int indexOf(Object o) {
    if (!(o instanceof Member m)) {
      return -1;
    }
    int position = positionOf(m.id());
    return position >= 0 && get(position).equals(m) ? position : -1;
  }

  @Override
  public int lastIndexOf(Object o) {
    return indexOf(o);
  }

  @Override
  public boolean contains(Object o) {
    return indexOf(o) >= 0;
  }
}
