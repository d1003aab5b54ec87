package dev.creditgate.postgresql;

/** The store's SQL text, with table names qualified by the configured schema. */
final class Statements {
  final String versionTable;
  final String loadWallet;
  final String loadWithRecord;
  final String lockWithRecord;
  final String findRecord;
  final String insertWalletAndCommit;
  final String updateWalletAndCommit;
  final String readLedger;
  final String expiredHolds;

  /** The statements on the tables in {@code schema}, or in the search path's first schema if null. */
  Statements(String schema) {
    String prefix = schema == null ? "" : schema + ".";
    String wallet = prefix + "creditgate_wallet";
    String ledger = prefix + "creditgate_ledger";
    String records = prefix + "creditgate_idempotency";
    versionTable = prefix + "creditgate_schema_version";
    loadWallet = "SELECT version, state FROM " + wallet + " WHERE account_id = ?";
    loadWithRecord = "SELECT w.version, w.state, r.request, r.result, r.at, r.at_nanos FROM " + wallet
        + " w LEFT JOIN " + records + " r ON r.account_id = w.account_id AND r.idempotency_key = ?"
        + " WHERE w.account_id = ?";
    lockWithRecord = "SELECT w.version, w.state, r.request, r.result, r.at, r.at_nanos,"
        + " (SELECT s.version FROM " + wallet + " s WHERE s.account_id = w.account_id) FROM " + wallet
        + " w LEFT JOIN " + records + " r ON r.account_id = w.account_id AND r.idempotency_key = ?"
        + " WHERE w.account_id = ? FOR UPDATE OF w";
    findRecord = "SELECT request, result, at, at_nanos FROM " + records
        + " WHERE account_id = ? AND idempotency_key = ?";
    // A commit is one statement, sent together with the COMMIT: one round trip. The ledger
    // entries and the records join the row the wallet's part returned: they are written only if
    // it matched (a version that moved, or a wallet that exists already, writes nothing), and
    // only after it locked the row. The entries come as one array per column and go in in array
    // order, so that the ids nextval() hands out keep the commit's order. A key that is stored
    // already violates the records' primary key and fails the whole statement (no ON CONFLICT:
    // the statement must write all or nothing, since the COMMIT follows it unconditionally).
    String writes = ", ledger_rows AS (INSERT INTO " + ledger
        + " (account_id, at, at_nanos, kind, grant_name, amount, operation, idempotency_key)"
        + " SELECT w.account_id, e.at, e.at_nanos, e.kind, e.grant_name, e.amount, e.operation, e.idempotency_key"
        + " FROM w, unnest(?::timestamptz[], ?::int4[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[])"
        + " WITH ORDINALITY AS e(at, at_nanos, kind, grant_name, amount, operation, idempotency_key, n)"
        + " ORDER BY e.n)"
        + ", record_rows AS (INSERT INTO " + records + " (account_id, idempotency_key, request, result, at, at_nanos)"
        + " SELECT w.account_id, r.idempotency_key, r.request, r.result, r.at, r.at_nanos"
        + " FROM w, unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::int4[])"
        + " AS r(idempotency_key, request, result, at, at_nanos))"
        + " SELECT count(*) FROM w; COMMIT";
    insertWalletAndCommit = "WITH w AS (INSERT INTO " + wallet
        + " (account_id, version, state, next_hold_expiry, next_hold_expiry_nanos) VALUES (?, 1, ?, ?, ?)"
        + " ON CONFLICT (account_id) DO NOTHING RETURNING account_id)" + writes;
    updateWalletAndCommit = "WITH w AS (UPDATE " + wallet + " SET version = ?, state = ?, next_hold_expiry = ?,"
        + " next_hold_expiry_nanos = ? WHERE account_id = ? AND version = ? RETURNING account_id)" + writes;
    readLedger = "SELECT at, at_nanos, kind, grant_name, amount, operation, idempotency_key FROM " + ledger
        + " WHERE account_id = ? AND at >= ? AND at <= ? ORDER BY id";
    expiredHolds = "SELECT account_id FROM " + wallet + " WHERE next_hold_expiry <= ?"
        + " AND (next_hold_expiry < ? OR next_hold_expiry_nanos <= ?) ORDER BY next_hold_expiry LIMIT ?";
  }
}
