package dev.creditgate.postgresql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

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
}
