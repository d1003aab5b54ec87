package dev.creditgate;

import dev.creditgate.model.Credits;

import dev.creditgate.PackGrant;
import dev.creditgate.PackList;

import dev.creditgate.CreditOverflowException;
import dev.creditgate.InvalidRequestException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The persistent pack list against a plain list as the model: after any sequence of head changes,
 * removals and insertions it holds the same grants in the same order, its total is their sum, and
 * every earlier version still holds what it held (versions share their storage).
 */
class PackListPropertiesTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  /** One change: 0 lowers the first grant, 1 drops it, 2 replaces or removes at an index, 3 inserts. */
  record Change(int kind, int index, long amount) {}

  @Provide
  Arbitrary<List<Change>> changes() {
    return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 20),
            Arbitraries.longs().between(0, 5_000))
        .as(Change::new).list().ofMaxSize(40);
  }

  @Property(tries = 300)
  void packListEqualsAPlainListItsTotalIsTheSumAndEarlierVersionsNeverChange(@ForAll("changes") List<Change> changes) {
    List<PackGrant> model = new ArrayList<>(List.of(grant(0, 1_000), grant(1, 2_000)));
    PackList list = PackList.of(model);
    int next = 2;
    List<PackList> versions = new ArrayList<>();
    List<List<PackGrant>> snapshots = new ArrayList<>();
    for (Change c : changes) {
      versions.add(list);
      snapshots.add(List.copyOf(model));
      switch (c.kind()) {
        case 0 -> {
          if (!model.isEmpty()) {
            PackGrant first = model.get(0);
            long left = Math.max(1, first.remaining().thousandths() - c.amount());
            model.set(0, first.withRemaining(Credits.ofThousandths(left)));
            list = list.withFirst(model.get(0));
          }
        }
        case 1 -> {
          if (!model.isEmpty()) {
            model.remove(0);
            list = list.withoutFirst();
          }
        }
        case 2 -> {
          if (!model.isEmpty()) {
            int i = c.index() % model.size();
            PackGrant replacement = c.amount() == 0 ? null : grant(next++, c.amount());
            if (replacement == null) {
              model.remove(i);
            } else {
              model.set(i, replacement);
            }
            list = list.with(i, replacement);
          }
        }
        default -> {
          int i = c.index() % (model.size() + 1);
          PackGrant added = grant(next++, Math.max(1, c.amount()));
          model.add(i, added);
          list = list.inserting(i, added);
        }
      }
      assertEquals(model, list);
      assertEquals(model.stream().mapToLong(g -> g.remaining().thousandths()).sum(), list.total());
    }
    for (int i = 0; i < versions.size(); i++) {
      assertEquals(snapshots.get(i), versions.get(i), "version " + i);
    }
  }

  @Example
  void theEmptyListHasNoFirstGrantToChange() {
    assertThrows(IllegalStateException.class, () -> PackList.EMPTY.withoutFirst());
    assertThrows(IllegalStateException.class, () -> PackList.EMPTY.withFirst(grant(0, 1)));
  }

  @Example
  void aGrantWithNothingLeftIsRefused() {
    PackGrant empty = new PackGrant("pack:empty", "small", Credits.of(1), Credits.ZERO, T);
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> PackList.of(List.of(empty)));
    assertEquals("an empty grant 'pack:empty' must not stay in a wallet", e.getMessage());
  }

  @Example
  void grantsWhoseTotalOverflowsAreRefused() {
    PackGrant huge = grant(0, Long.MAX_VALUE);
    assertThrows(CreditOverflowException.class, () -> PackList.of(List.of(huge, grant(1, 1))));
  }

  private static PackGrant grant(int n, long thousandths) {
    Credits credits = Credits.ofThousandths(thousandths);
    return new PackGrant("pack:" + n, "small", credits, credits, T.plusSeconds(n));
  }
}
