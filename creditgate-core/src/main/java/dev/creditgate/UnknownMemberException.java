package dev.creditgate;

import dev.creditgate.model.AccountId;

/**
 * The account is not a member of the shared wallet; add it with {@code CreditGate.addMember}.
 * Nothing was changed.
 */
public final class UnknownMemberException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  /** The shared wallet's account. */
  private final AccountId account;
  /** The account that is not a member of it. */
  private final AccountId member;

  /**
   * {@code member} is not a member of the shared wallet {@code account}.
   *
   * @param account the shared wallet's account
   * @param member the account the call named as a member
   */
  UnknownMemberException(AccountId account, AccountId member) {
    super("'" + member + "' is not a member of wallet '" + account + "'");
    this.account = account;
    this.member = member;
  }

  /**
   * The shared wallet's account.
   *
   * @return the wallet's account the failing call named
   */
  public AccountId account() {
    return account;
  }

  /**
   * The account that is not a member of it.
   *
   * @return the account the failing call named as a member
   */
  public AccountId member() {
    return member;
  }
}
