package dev.creditgate.widget;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.Duration;
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

  /** How long before {@code now} {@link #withHistory} opens its wallet. */
  static final Duration OPENED_BEFORE = Duration.ofDays(10);
  /** How long before {@code now} {@link #withHistory} makes its first spend. */
  static final Duration FIRST_SPEND_BEFORE = Duration.ofDays(9);
  /** The days {@link #withHistory} spends on, each at the same time of day. */
  static final int SPENDING_DAYS = 7;

  /**
   * A wallet with a history, written through the gate at explicit past instants: opened on the
   * Free plan {@link #OPENED_BEFORE 10 days} before {@code now}, then an AI change of 29,000 tokens
   * (3 credits) charged on each of the {@value #SPENDING_DAYS} days from 9 to 3 days before
   * {@code now}: 21 credits spent, 9 of 30 left, renewing a month after it opened.
   */
  static AccountId withHistory(CreditGate gate, String name, Instant now) {
    AccountId account = AccountId.of(name + "-" + UUID.randomUUID());
    gate.openWallet(account, ZoneOffset.UTC, now.minus(OPENED_BEFORE));
    for (int day = 0; day < SPENDING_DAYS; day++) {
      Instant at = now.minus(FIRST_SPEND_BEFORE).plus(Duration.ofDays(day));
      Decision decision = gate.charge(account, Operation.AI_CHAT_MESSAGE, 29_000, IdempotencyKey.of(key()), at);
      if (!decision.isAllowed()) {
        throw new IllegalStateException("the history's charge at " + at + " was denied: " + decision);
      }
    }
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
