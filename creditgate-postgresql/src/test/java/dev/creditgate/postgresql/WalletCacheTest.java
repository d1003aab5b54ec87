package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.spi.StoredWallet;
import dev.creditgate.spi.WalletState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store hands back the wallet object it committed only for a row that holds exactly what it
 * wrote: a commit of another instance, a restore and a change made by hand are all read as the
 * row's text, and the gate decides from them.
 */
class WalletCacheTest {
  private static final String SCHEMA = "creditgate_cache";
  private static final ZoneId ZONE = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final AccountId ACCOUNT = AccountId.of("cached");

  private TestDatabase db;
  private JdbcWalletStore storeA;
  private CreditGate gateA;
  private CreditGate gateB;

  @BeforeEach
  void setUp() {
    db = TestDatabase.get();
    db.recreate(SCHEMA);
    storeA = TestDatabase.store(db.pool(2), SCHEMA).build();
    gateA = CreditGate.builder(storeA).build();
    gateB = CreditGate.builder(TestDatabase.store(db.pool(2), SCHEMA).build()).build();
    gateA.openWallet(ACCOUNT, ZONE, T0);
    gateA.topUp(ACCOUNT, "small", IdempotencyKey.of("pay"), T0);
  }

  // ------------------------------------------------------------------------------ the cache alone

  @Test
  void handsBackTheObjectOnlyForTheVersionAndTextItWasWrittenAs() {
    WalletCache cache = new WalletCache();
    WalletState state = () -> "the text";
    cache.remember("a", 3, "the text", state);

    assertSame(state, cache.stored("a", 3, "the text").state());
    assertSame(state, cache.stored("a", 3, new String("the text".toCharArray())).state());
    StoredWallet otherVersion = cache.stored("a", 4, "the text");
    assertNotSame(state, otherVersion.state());
    assertEquals("the text", otherVersion.state().encoded());
    assertEquals(4, otherVersion.version());
    StoredWallet otherText = cache.stored("a", 3, "the text!");
    assertNotSame(state, otherText.state());
    assertEquals("the text!", otherText.state().encoded());
  }

  @Test
  void anAccountOfTheSameSlotNeverGetsAnotherAccountsObject() {
    WalletCache cache = new WalletCache();
    String other = "b0";
    for (int i = 1; WalletCache.slot(other) != WalletCache.slot("a"); i++) {
      other = "b" + i;
    }
    WalletState a = () -> "same text";
    cache.remember("a", 1, "same text", a);
    assertNotSame(a, cache.stored(other, 1, "same text").state());
    WalletState b = () -> "same text";
    cache.remember(other, 1, "same text", b);
    assertSame(b, cache.stored(other, 1, "same text").state());
    // The slot now holds the other account's: the first reads its text again.
    assertNotSame(a, cache.stored("a", 1, "same text").state());
    assertNotSame(b, cache.stored("a", 1, "same text").state());
  }

  // ------------------------------------------------------------------------------- through a gate

  @Test
  void aWalletTheStoreCommittedIsHandedBackAsItsObjectWhileItsRowIsUnchanged() {
    charge(gateA, "c1");
    StoredWallet first = storeA.load(ACCOUNT).orElseThrow();
    StoredWallet second = storeA.load(ACCOUNT).orElseThrow();
    assertSame(first.state(), second.state(), "the object committed, not its text decoded");
    assertEquals(row().state, first.state().encoded());
    assertEquals(row().version, first.version());
  }

  @Test
  void aCommitOfAnotherInstanceInBetweenIsNeverHiddenByTheCachedWallet() {
    charge(gateA, "c1");
    WalletState cached = storeA.load(ACCOUNT).orElseThrow().state();
    Credits afterOne = gateA.status(ACCOUNT, T0).balance();

    charge(gateB, "c2");
    Row row = row();
    StoredWallet read = storeA.load(ACCOUNT).orElseThrow();
    assertNotSame(cached, read.state());
    assertEquals(row.state, read.state().encoded());
    assertEquals(row.version, read.version());
    Credits afterTwo = gateA.status(ACCOUNT, T0).balance();
    assertTrue(afterTwo.compareTo(afterOne) < 0, afterOne + " then " + afterTwo);
    assertEquals(fresh().status(ACCOUNT, T0), gateA.status(ACCOUNT, T0));

    // A decides from B's commit: its charge takes the third charge's credits off B's balance.
    charge(gateA, "c3");
    Credits oneCharge = afterOne.minus(afterTwo);
    assertEquals(afterTwo.minus(oneCharge), fresh().status(ACCOUNT, T0).balance());
    assertEquals(fresh().status(ACCOUNT, T0), gateA.status(ACCOUNT, T0));
  }

  @Test
  void aWalletRestoredOutsideIsReadAsRestored() {
    charge(gateA, "c1");
    Row saved = row();
    Credits afterOne = gateA.status(ACCOUNT, T0).balance();
    charge(gateA, "c2");
    assertNotEquals(afterOne, gateA.status(ACCOUNT, T0).balance());

    // A restore of the row as it was: its version and text of before the second charge.
    update(saved.version, saved.state);
    assertEquals(afterOne, gateA.status(ACCOUNT, T0).balance());
    assertEquals(fresh().status(ACCOUNT, T0), gateA.status(ACCOUNT, T0));
    charge(gateA, "c3");
    assertEquals(fresh().status(ACCOUNT, T0), gateA.status(ACCOUNT, T0));
  }

  @Test
  void aWalletChangedOutsideAtTheSameVersionIsReadAsChanged() {
    charge(gateA, "c1");
    Row saved = row();
    Credits afterOne = gateA.status(ACCOUNT, T0).balance();
    charge(gateA, "c2");
    Row now = row();

    // The version the cache remembers, with another text: only the text tells them apart.
    update(now.version, saved.state);
    assertEquals(afterOne, gateA.status(ACCOUNT, T0).balance());
    assertEquals(saved.state, storeA.load(ACCOUNT).orElseThrow().state().encoded());
    charge(gateA, "c3");
    assertEquals(fresh().status(ACCOUNT, T0), gateA.status(ACCOUNT, T0));
  }

  private static void charge(CreditGate gate, String key) {
    Decision d = gate.charge(ACCOUNT, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of(key), T0);
    assertTrue(d.isAllowed(), d.toString());
  }

  /** A gate on a store of its own, which has committed nothing: what the rows say. */
  private CreditGate fresh() {
    return CreditGate.builder(TestDatabase.store(db.unpooled(), SCHEMA).build()).build();
  }

  private record Row(long version, String state) {}

  private Row row() {
    try (Connection c = db.unpooled().getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT version, state FROM " + SCHEMA + ".creditgate_wallet WHERE account_id = ?")) {
      ps.setString(1, ACCOUNT.value());
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        return new Row(rs.getLong(1), rs.getString(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void update(long version, String state) {
    try (Connection c = db.unpooled().getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE " + SCHEMA + ".creditgate_wallet SET version = ?, state = ? WHERE account_id = ?")) {
      ps.setLong(1, version);
      ps.setString(2, state);
      ps.setString(3, ACCOUNT.value());
      assertEquals(1, ps.executeUpdate());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
