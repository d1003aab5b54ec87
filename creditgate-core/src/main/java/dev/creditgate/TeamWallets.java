package dev.creditgate;

import static dev.creditgate.Arguments.require;
import static dev.creditgate.Arguments.requireTime;

import dev.creditgate.MutationRunner.Step;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** A shared wallet's members, their seats and caps, and the plan's entitlements. */
final class TeamWallets {
  private final MutationRunner runner;
  private final WalletRules rules;

  TeamWallets(MutationRunner runner) {
    this.runner = runner;
    this.rules = runner.rules();
  }

  SeatDecision addMember(AccountId account, AccountId member, IdempotencyKey key, Instant at) {
    require(account, "account");
    require(member, "member");
    require(key, "key");
    requireTime(at, "at");
    return runner.mutate(account, key, new Request.AddMember(member), at, Receipts.SEAT, wallet -> {
      Plan plan = rules.catalog().plan(wallet.planId());
      int used = wallet.members().size();
      if (!wallet.hasMember(member) && used >= plan.seats()) {
        Optional<Plan> more = rules.catalog().plans().stream().filter(p -> p.seats() > plan.seats()).findFirst();
        return Step.answer(new SeatDecision.Denied(member, used, plan.seats(), plan.id(), more));
      }
      Transition t = MemberChanges.addMember(wallet, member, plan, key.value(), at);
      return Step.commit(new SeatDecision.Added(member, used + 1, plan.seats()), t);
    });
  }

  int removeMember(AccountId account, AccountId member, IdempotencyKey key, Instant at) {
    require(account, "account");
    require(member, "member");
    require(key, "key");
    requireTime(at, "at");
    return runner.mutate(account, key, new Request.RemoveMember(member), at, Receipts.COUNT, wallet -> {
      Transition t = MemberChanges.removeMember(wallet, member, key.value(), at);
      return Step.commit(t.wallet().members().size(), t);
    });
  }

  MemberUsage setMemberCap(AccountId account, AccountId member, Optional<Credits> cap, IdempotencyKey key,
      Instant at) {
    require(account, "account");
    require(member, "member");
    require(cap, "cap");
    require(key, "key");
    requireTime(at, "at");
    cap.ifPresent(c -> Arguments.requireNonNegative(c.thousandths(), "cap in thousandths"));
    Request request = new Request.SetMemberCap(member, cap);
    return runner.mutate(account, key, request, at, Receipts.MEMBER, wallet -> {
      Transition t = MemberChanges.setMemberCap(wallet, member, cap, key.value(), at);
      return Step.commit(usage(t.wallet().member(member)), t);
    });
  }

  UsageReport usage(AccountId account, Instant at) {
    require(account, "account");
    requireTime(at, "at");
    Wallet wallet = runner.current(account, at);
    List<MemberUsage> members = new ArrayList<>();
    for (Member member : wallet.members()) {
      members.add(usage(member));
    }
    return new UsageReport(account, wallet.planId(), wallet.schedule().periodStart(wallet.period()),
        wallet.nextRenewal(), members);
  }

  private static MemberUsage usage(Member member) {
    Map<Operation, Credits> byOperation = new HashMap<>();
    member.spentByOperation().forEach((operation, credits) -> byOperation.put(Operation.of(operation), credits));
    return new MemberUsage(member.id(), member.cap(), member.spent(), byOperation);
  }

  boolean has(AccountId account, String feature, Instant at) {
    require(feature, "feature");
    return plan(account, at).hasFeature(feature);
  }

  OptionalLong limit(AccountId account, String limit, Instant at) {
    require(limit, "limit");
    return plan(account, at).limit(limit);
  }

  private Plan plan(AccountId account, Instant at) {
    require(account, "account");
    requireTime(at, "at");
    return rules.catalog().plan(runner.current(account, at).planId());
  }
}
