package dev.creditgate;

import dev.creditgate.model.AccountId;
import java.time.Instant;
import java.util.List;

/**
 * A shared wallet's usage for the billing period {@code [periodStart, periodEnd)}: what each
 * member spent, per operation, in the order they joined. Immutable.
 *
 * @param account the shared wallet's account
 * @param plan the id of the plan in force
 * @param periodStart when the billing period began
 * @param periodEnd when it ends: the next renewal, excluded
 * @param members each member's cap and spending this period, the first to join first
 */
public record UsageReport(AccountId account, String plan, Instant periodStart, Instant periodEnd,
    List<MemberUsage> members) {
  /**
   * Copies {@code members}, so the report stays immutable.
   *
   * @param account the shared wallet's account
   * @param plan the id of the plan in force
   * @param periodStart when the billing period began
   * @param periodEnd when it ends, excluded
   * @param members each member's usage, the first to join first
   */
  public UsageReport {
    members = List.copyOf(Arguments.require(members, "members"));
  }
}
