package dev.creditgate.examples;

import dev.creditgate.CreditGate;
import dev.creditgate.Decision;
import dev.creditgate.MemberUsage;
import dev.creditgate.PlanChange;
import dev.creditgate.SeatDecision;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** A team on the Team plan: a shared wallet, seats, a member's cap, entitlements and a usage report. */
public final class Teams {
  public static void main(String[] args) {
    CreditGate gate = CreditGate.inMemory();
    AccountId team = AccountId.of("acme");
    Instant now = Instant.parse("2026-06-01T09:00:00Z");
    gate.openWallet(team, ZoneOffset.UTC, now);
    gate.changePlan(team, "team", IdempotencyKey.of("sub_team_1"), now);       // 300 credits, 5 seats

    for (String name : new String[] {"ana", "ben", "chloe", "dev", "eli", "fay"}) {
      SeatDecision seat = gate.addMember(team, AccountId.of(name), IdempotencyKey.of("add-" + name), now);
      if (seat instanceof SeatDecision.Denied denied) {
        System.out.println("cannot add " + name + ": " + denied.reason());
      }
    }
    AccountId ben = AccountId.of("ben");
    gate.setMemberCap(team, ben, Optional.of(Credits.of(10)), IdempotencyKey.of("cap-ben"), now);
    gate.charge(team, ben, Operation.GENERATE_IMAGE, 4, IdempotencyKey.of("ben-img-1"), now);   // 8 credits
    Decision over = gate.charge(team, ben, Operation.GENERATE_IMAGE, 2, IdempotencyKey.of("ben-img-2"), now);
    System.out.println("ben's next 2 images: " + (over instanceof Decision.Denied d ? d.reason() : "allowed")
        + "; the team still has " + over.balanceBefore());
    gate.charge(team, AccountId.of("ana"), Operation.AI_CHAT_MESSAGE, 100_000, IdempotencyKey.of("ana-1"), now);

    System.out.println("priority support: " + gate.has(team, Catalog.PRIORITY_SUPPORT, now));
    for (MemberUsage usage : gate.usage(team, now).members()) {
      if (usage.spent().isPositive()) {
        System.out.println(usage.member() + " spent " + usage.spent() + " " + usage.byOperation()
            + usage.cap().map(cap -> " (cap " + cap + ")").orElse(""));
      }
    }
    PlanChange down = gate.changePlan(team, "pro", IdempotencyKey.of("sub_pro_1"), now.plusSeconds(60));
    System.out.println("downgrade to pro at " + down.effectiveAt() + "; must go first: " + down.membersToRemove());
  }
}
