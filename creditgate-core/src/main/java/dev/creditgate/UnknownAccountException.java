package dev.creditgate;

import dev.creditgate.model.AccountId;

/** No wallet is open for the account; open one with {@code CreditGate.openWallet}. */
public final class UnknownAccountException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  private final AccountId account;

  public UnknownAccountException(AccountId account) {
    super("no wallet is open for account '" + account + "'");
    this.account = account;
  }

  public AccountId account() {
    return account;
  }
}
