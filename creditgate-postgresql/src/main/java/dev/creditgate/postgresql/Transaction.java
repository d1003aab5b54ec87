package dev.creditgate.postgresql;

import java.sql.Connection;

/** The connection of one open transaction, and whether the work ended the transaction itself. */
final class Transaction {
  final Connection connection;
  /** Set once the transaction committed along with its last write, or was rolled back. */
  boolean ended;

  Transaction(Connection connection) {
    this.connection = connection;
  }
}
