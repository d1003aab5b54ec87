package dev.creditgate.widget;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/** Test wallets: each test opens its own, so tests share a server and its database but no wallet. */
final class Wallets {
  private Wallets() {}

  /** Opens a new wallet, on the Free plan with its 30 credits. */
  static AccountId open(CreditGate gate, String name) {
    AccountId account = AccountId.of(name + "-" + UUID.randomUUID());
    gate.openWallet(account, ZoneOffset.UTC);
    return account;
  }

  /** The number of ledger entries of the account so far. */
  static long ledgerEntries(CreditGate gate, AccountId account) {
    return gate.ledger(account, Instant.EPOCH, Instant.now().plusSeconds(3_600)).count();
  }

  /**
   * The JSON of an AI change (the cost of an ai-chat-message is 0.1 + 0.1 per 1,000 tokens, so
   * 239,000 tokens cost 24 credits).
   */
  static String aiChange(long estimatedTokens, long actualTokens, String outcome) {
    return "{\"estimatedTokens\":" + estimatedTokens + ",\"actualTokens\":" + actualTokens
        + ",\"outcome\":{\"kind\":\"" + outcome + "\",\"retryOf\":\"\"}}";
  }

  static String key() {
    return UUID.randomUUID().toString();
  }
}
