package dev.creditgate;

import dev.creditgate.model.AccountId;

/**
 * The account is not a member of the shared wallet; add it with {@code CreditGate.addMember}.
 * Nothing was changed.
 */
public final class UnknownMemberException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  private final AccountId account;
  private final AccountId member;

  public UnknownMemberException(AccountId account, AccountId member) {
    super("'" + member + "' is not a member of wallet '" + account + "'");
    this.account = account;
    this.member = member;
  }

  /** The shared wallet's account. */
  public AccountId account() {
    return account;
  }

  /** The account that is not a member of it. */
  public AccountId member() {
    return member;
  }
}
