package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.creditgate.postgresql.Failures.Kind;
import dev.creditgate.spi.SchemaMismatchException;
import dev.creditgate.spi.SchemaMissingException;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoreUnavailableException;
import dev.creditgate.spi.StoreFaultException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailuresTest {

  @Test
  void onlyAViolationOfTheRecordsKeyIsAStoredKey() {
    assertTrue(Failures.isStoredKey(new SQLException(
        "ERROR: duplicate key value violates unique constraint \"creditgate_idempotency_pkey\"", "23505")));
    assertTrue(Failures.isStoredKey(new SQLException(
        "FEHLER: doppelter Schlüsselwert verletzt Unique-Constraint »\"creditgate_idempotency_pkey\"«", "23505")));
  }

  @Test
  void anotherUniqueViolationOrAnotherFaultIsNot() {
    assertFalse(Failures.isStoredKey(new SQLException(
        "ERROR: duplicate key value violates unique constraint \"creditgate_ledger_pkey\"", "23505")));
    assertFalse(Failures.isStoredKey(new SQLException(
        "ERROR: could not serialize access \"creditgate_idempotency_pkey\"", "40001")));
  }

  /** The table of {@link Failures}' Javadoc, row by row: each SQLState, its kind and its exception. */
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      // A lost race: nothing was written, the gate decides again.
      "40001, CONFLICT, StoreException",
      "40P01, CONFLICT, StoreException",
      // The database cannot be reached now.
      "08000, UNAVAILABLE, StoreUnavailableException",
      "08001, UNAVAILABLE, StoreUnavailableException",
      "08003, UNAVAILABLE, StoreUnavailableException",
      "08006, UNAVAILABLE, StoreUnavailableException",
      "08P01, UNAVAILABLE, StoreUnavailableException",
      "57P01, UNAVAILABLE, StoreUnavailableException",
      "57P02, UNAVAILABLE, StoreUnavailableException",
      "57P03, UNAVAILABLE, StoreUnavailableException",
      "57P05, UNAVAILABLE, StoreUnavailableException",
      "25P03, UNAVAILABLE, StoreUnavailableException",
      "25P04, UNAVAILABLE, StoreUnavailableException",
      "53300, UNAVAILABLE, StoreUnavailableException",
      "25006, UNAVAILABLE, StoreUnavailableException",
      // The database could not finish it now.
      "40000, TRANSIENT, StoreException",
      "40003, TRANSIENT, StoreException",
      "53000, TRANSIENT, StoreException",
      "53100, TRANSIENT, StoreException",
      "53200, TRANSIENT, StoreException",
      "53400, TRANSIENT, StoreException",
      "55P03, TRANSIENT, StoreException",
      "57014, TRANSIENT, StoreException",
      // Refused: fix the DataSource's settings.
      "28000, REFUSED, StoreUnavailableException",
      "28P01, REFUSED, StoreUnavailableException",
      "3D000, REFUSED, StoreUnavailableException",
      // The schema.
      "42P01, SCHEMA_MISSING, SchemaMissingException",
      "3F000, SCHEMA_MISSING, SchemaMissingException",
      "42703, SCHEMA_MISMATCH, SchemaMismatchException",
      "42804, SCHEMA_MISMATCH, SchemaMismatchException",
      // A bug, corrupt data, a privilege: retrying cannot fix it.
      "XX000, FAULT, StoreFaultException",
      "XX001, FAULT, StoreFaultException",
      "XX002, FAULT, StoreFaultException",
      "22003, FAULT, StoreFaultException",
      "22021, FAULT, StoreFaultException",
      "23502, FAULT, StoreFaultException",
      "23505, FAULT, StoreFaultException",
      "40002, FAULT, StoreFaultException",
      "42501, FAULT, StoreFaultException",
      "42601, FAULT, StoreFaultException",
      "0A000, FAULT, StoreFaultException",
      "25001, FAULT, StoreFaultException",
      "55000, FAULT, StoreFaultException",
      "55006, FAULT, StoreFaultException",
      "57P04, FAULT, StoreFaultException",
      "P0001, FAULT, StoreFaultException",
      "HV000, FAULT, StoreFaultException",
      "4, FAULT, StoreFaultException",
  })
  void eachSqlStateIsOfTheKindTheTableGivesAndThrowsItsException(String state, Kind kind, String thrown) {
    SQLException e = new SQLException("injected " + state, state);

    assertEquals(kind, Failures.classify(e));
    StoreException given = Failures.giveUp("charging 'maya'", e, JdbcWalletStore.SCHEMA_RESOURCE);
    assertEquals(thrown, given.getClass().getSimpleName(), given.getMessage());
    assertTrue(given.getMessage().startsWith("charging 'maya'"), given.getMessage());
    assertEquals(e, given.getCause());
  }

  @Test
  void whatMaySucceedLaterIsRetrySafeAndWhatCannotIsNot() {
    for (Kind kind : Kind.values()) {
      boolean later = switch (kind) {
        case CONFLICT, UNAVAILABLE, POOL_TIMEOUT, TRANSIENT, REFUSED -> true;
        case SCHEMA_MISSING, SCHEMA_MISMATCH, FAULT -> false;
      };
      assertEquals(later, kind.retrySafe, kind.name());
    }
  }

  @Test
  void anInternalErrorSaysRetryingCannotFixIt() {
    StoreException e = Failures.giveUp("charging 'maya'", new SQLException("internal error", "XX000"),
        JdbcWalletStore.SCHEMA_RESOURCE);

    assertInstanceOf(StoreFaultException.class, e);
    assertFalse(e.isRetrySafe(), "the gate does not retry it");
    assertTrue(e.getMessage().contains("retrying cannot fix"), e.getMessage());
    assertTrue(e.getMessage().contains("XX000"), e.getMessage());
  }

  /** HikariCP's time-out carries the SQLState of the pool's last connection failure, e.g. 08001. */
  @Test
  void aPoolTimeOutIsAnUnavailableStoreWhoseMessageSaysThePoolTimedOut() {
    SQLException hikari = new SQLTransientConnectionException(
        "HikariPool-1 - Connection is not available, request timed out after 30001ms.", "08001",
        new SQLException("Connection refused", "08001"));
    SQLException noState = new SQLTransientConnectionException("Connection is not available, request timed out");

    for (SQLException e : new SQLException[] {hikari, noState}) {
      assertEquals(Kind.POOL_TIMEOUT, Failures.classify(e));
      StoreException given = Failures.giveUp("loading wallet 'maya'", e, JdbcWalletStore.SCHEMA_RESOURCE);
      assertInstanceOf(StoreUnavailableException.class, given);
      assertTrue(given.isRetrySafe());
      assertTrue(given.getMessage().contains("connection pool timed out"), given.getMessage());
    }
  }

  @Test
  void serverShutdownsAndTooManyConnectionsSayWhatHappened() {
    assertMessage("57P01", "shutting down");
    assertMessage("57P03", "starting up");
    assertMessage("53300", "too many connections");
    assertMessage("25006", "accepts no writes");
    assertMessage("08006", "connection broke");
  }

  private static void assertMessage(String state, String says) {
    StoreException e = Failures.giveUp("loading wallet 'maya'", new SQLException("injected", state),
        JdbcWalletStore.SCHEMA_RESOURCE);
    assertInstanceOf(StoreUnavailableException.class, e);
    assertTrue(e.getMessage().contains(says), e.getMessage());
  }

  @Test
  void withoutAnSqlStateTheStandardSubclassesDecide() {
    assertEquals(Kind.UNAVAILABLE, Failures.classify(new SQLRecoverableException("socket closed")));
    assertEquals(Kind.UNAVAILABLE, Failures.classify(new SQLTransientException("try again")));
    assertEquals(Kind.REFUSED, Failures.classify(new SQLNonTransientConnectionException("no such host")));
    assertEquals(Kind.FAULT, Failures.classify(new SQLException("something else")));
  }

  @Test
  void theSqlStateIsFoundOnTheNextExceptionOrTheCause() {
    SQLException batch = new SQLException("batch failed");
    batch.setNextException(new SQLException("deadlock detected", "40P01"));
    SQLException wrapped = new SQLException("wrapped", new SQLException("terminating connection", "57P01"));
    SQLException cycle = new SQLException("cycle");
    cycle.setNextException(cycle);

    assertEquals(Kind.CONFLICT, Failures.classify(batch));
    assertEquals(Kind.UNAVAILABLE, Failures.classify(wrapped));
    assertEquals(Kind.FAULT, Failures.classify(cycle));
    assertEquals("57P01", Failures.sqlState(wrapped));
  }

  @Test
  void theSchemaFailuresAreNotRetrySafe() {
    assertInstanceOf(SchemaMissingException.class, Failures.giveUp("x", new SQLException("m", "42P01"), "s"));
    assertInstanceOf(SchemaMismatchException.class, Failures.giveUp("x", new SQLException("m", "42703"), "s"));
  }
}
