package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.UnknownCatalogItemException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plans and packs on sale. Plans are listed from the lowest to the highest: the first is the
 * plan a new wallet gets and a cancellation returns to, and "upgrade" means a later plan.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Catalog catalog = Catalog.builder()
 *     .plan(new Plan("free", "Free", Money.usd("0"), Credits.of(50), 1, Set.of()))
 *     .plan(new Plan("pro", "Pro", Money.usd("20"), Credits.of(250), 1, Set.of("custom-domains")))
 *     .pack(new Pack("small", "Small", Money.usd("10"), Credits.of(100)))
 *     .build();
 * }</pre>
 */
public final class Catalog {

  /** Feature flag of the Team plan. */
  public static final String PRIORITY_SUPPORT = "priority-support";
  /** Feature flags of Pro's "other goodies". */
  public static final String CUSTOM_DOMAINS = "custom-domains";
  public static final String PRIVATE_PROJECTS = "private-projects";

  private final List<Plan> plans;
  private final List<Pack> packs;
  private final Optional<CustomPackTerms> customPacks;

  private Catalog(List<Plan> plans, List<Pack> packs, Optional<CustomPackTerms> customPacks) {
    this.plans = List.copyOf(plans);
    List<Pack> sorted = new ArrayList<>(packs);
    sorted.sort(Comparator.comparing(Pack::credits));
    this.packs = List.copyOf(sorted);
    this.customPacks = customPacks;
  }

  /**
   * The help article's catalog: Free (30 credits), Pro ($20, 5x Free), Team ($49, 10x Free, 5
   * seats, priority support); packs Small $10 = 100, Medium $25 = 250, Large $100 = 1000, and
   * Custom from $5 to $1,000 at 10 credits per dollar.
   */
  public static Catalog defaults() {
    Credits free = Credits.of(30);
    return builder()
        .plan(new Plan("free", "Free", Money.usd("0"), free, 1, Set.of()))
        .plan(new Plan("pro", "Pro", Money.usd("20"), free.times(5), 1,
            Set.of(CUSTOM_DOMAINS, PRIVATE_PROJECTS)))
        .plan(new Plan("team", "Team", Money.usd("49"), free.times(10), 5,
            Set.of(CUSTOM_DOMAINS, PRIVATE_PROJECTS, PRIORITY_SUPPORT)))
        .pack(new Pack("small", "Small", Money.usd("10"), Credits.of(100)))
        .pack(new Pack("medium", "Medium", Money.usd("25"), Credits.of(250)))
        .pack(new Pack("large", "Large", Money.usd("100"), Credits.of(1000)))
        .customPacks(new CustomPackTerms(Money.usd("5"), Money.usd("1000"), Credits.of(10)))
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Plans from the lowest to the highest. */
  public List<Plan> plans() {
    return plans;
  }

  /** Packs from the fewest credits to the most. */
  public List<Pack> packs() {
    return packs;
  }

  public Optional<CustomPackTerms> customPacks() {
    return customPacks;
  }

  /** The lowest plan: what a new wallet starts on and what a cancellation returns to. */
  public Plan startingPlan() {
    return plans.get(0);
  }

  /** @throws UnknownCatalogItemException if no plan has this id */
  public Plan plan(String id) {
    Checks.nonNull(id, "plan id");
    for (Plan plan : plans) {
      if (plan.id().equals(id)) {
        return plan;
      }
    }
    throw new UnknownCatalogItemException(UnknownCatalogItemException.Kind.PLAN, id);
  }

  /** @throws UnknownCatalogItemException if no pack has this id */
  public Pack pack(String id) {
    Checks.nonNull(id, "pack id");
    for (Pack pack : packs) {
      if (pack.id().equals(id)) {
        return pack;
      }
    }
    throw new UnknownCatalogItemException(UnknownCatalogItemException.Kind.PACK, id);
  }

  /** The position of a plan, lowest first; a higher rank is an upgrade. */
  public int rank(String planId) {
    return plans.indexOf(plan(planId));
  }

  /** The plan above {@code planId}, or empty on the top plan. */
  public Optional<Plan> nextPlanAfter(String planId) {
    int rank = rank(planId);
    return rank + 1 < plans.size() ? Optional.of(plans.get(rank + 1)) : Optional.empty();
  }

  /** The pack with the fewest credits that still covers {@code credits}, if any does. */
  public Optional<Pack> smallestPackCovering(Credits credits) {
    Checks.nonNull(credits, "credits");
    for (Pack pack : packs) {
      if (pack.credits().compareTo(credits) >= 0) {
        return Optional.of(pack);
      }
    }
    return Optional.empty();
  }

  /** Builds a {@link Catalog}: at least one plan, plan and pack ids unique. */
  public static final class Builder {
    private final List<Plan> plans = new ArrayList<>();
    private final List<Pack> packs = new ArrayList<>();
    private CustomPackTerms customPacks;

    private Builder() {}

    /** Adds a plan above the plans added before it. */
    public Builder plan(Plan plan) {
      plans.add(Checks.nonNull(plan, "plan"));
      return this;
    }

    public Builder pack(Pack pack) {
      packs.add(Checks.nonNull(pack, "pack"));
      return this;
    }

    public Builder customPacks(CustomPackTerms terms) {
      this.customPacks = Checks.nonNull(terms, "terms");
      return this;
    }

    public Catalog build() {
      if (plans.isEmpty()) {
        throw new InvalidRequestException("a catalog needs at least one plan");
      }
      Set<String> ids = new HashSet<>();
      for (Plan plan : plans) {
        if (!ids.add("plan:" + plan.id())) {
          throw new InvalidRequestException("plan id", plan.id(), "plan id '" + plan.id() + "' appears twice");
        }
      }
      for (Pack pack : packs) {
        if (!ids.add("pack:" + pack.id())) {
          throw new InvalidRequestException("pack id", pack.id(), "pack id '" + pack.id() + "' appears twice");
        }
      }
      return new Catalog(plans, packs, Optional.ofNullable(customPacks));
    }
  }
}
