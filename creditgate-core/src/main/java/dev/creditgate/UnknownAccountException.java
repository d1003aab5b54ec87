package dev.creditgate;

import dev.creditgate.model.AccountId;

/** No wallet is open for the account; open one with {@code CreditGate.openWallet}. */
public final class UnknownAccountException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  /** The account that has no wallet. */
  private final AccountId account;

  /**
   * No wallet is open for {@code account}.
   *
   * @param account the account a call named
   */
  public UnknownAccountException(AccountId account) {
    super("no wallet is open for account '" + account + "'");
    this.account = account;
  }

  /**
   * The account that has no wallet.
   *
   * @return the account the failing call named
   */
  public AccountId account() {
    return account;
  }
}
