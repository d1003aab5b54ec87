package dev.creditgate;

import dev.creditgate.model.AccountId;
import java.time.Instant;
import java.util.List;

/**
 * A shared wallet's usage for the billing period {@code [periodStart, periodEnd)}: what each member
 * spent, per operation, in the order they joined. Immutable.
 */
public record UsageReport(AccountId account, String plan, Instant periodStart, Instant periodEnd,
    List<MemberUsage> members) {
  public UsageReport {
    members = List.copyOf(members);
  }
}
