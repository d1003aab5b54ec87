package dev.creditgate;

import dev.creditgate.model.AccountId;

/** The account is not a member of the shared wallet; add it with {@code CreditGate.addMember}. */
public final class UnknownMemberException extends CreditGateException {
  private static final long serialVersionUID = 1L;

  public UnknownMemberException(AccountId wallet, AccountId member) {
    super("'" + member.value() + "' is not a member of wallet '" + wallet.value() + "'");
  }
}
