package dev.creditgate.postgresql;

import java.sql.Connection;

/** The connection of one open transaction, what it wrote, and whether the work ended it itself. */
final class Transaction {
  final Connection connection;
  /** Set once the transaction committed along with its last write, or was rolled back. */
  boolean ended;
  /**
   * Set just before the statement that commits a wallet's change is sent (its write, which carries
   * the {@code COMMIT}): from then on a broken connection may have lost the reply to a commit that
   * landed. Cleared when the server answered that the change was not written.
   */
  boolean committing;

  Transaction(Connection connection) {
    this.connection = connection;
  }
}
