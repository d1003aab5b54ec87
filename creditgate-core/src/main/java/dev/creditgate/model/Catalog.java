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
  /** Feature flag of Pro's "other goodies": custom domains. Team has it too. */
  public static final String CUSTOM_DOMAINS = "custom-domains";
  /** Feature flag of Pro's "other goodies": private projects. Team has it too. */
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
   *
   * @return the catalog above, plans in the order free, pro, team
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

  /**
   * An empty builder.
   *
   * @return a builder with no plans and no packs
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Plans from the lowest to the highest.
   *
   * @return the plans in the order they were added, unmodifiable; never empty
   */
  public List<Plan> plans() {
    return plans;
  }

  /**
   * Packs from the fewest credits to the most.
   *
   * @return the packs, unmodifiable; packs of equal credits in the order they were added; empty
   *     if the catalog sells none
   */
  public List<Pack> packs() {
    return packs;
  }

  /**
   * The terms of the Custom pack, whose price the customer picks.
   *
   * @return the terms, or empty if the catalog sells no custom packs
   */
  public Optional<CustomPackTerms> customPacks() {
    return customPacks;
  }

  /**
   * The lowest plan: what a new wallet starts on and what a cancellation returns to.
   *
   * @return the first plan added
   */
  public Plan startingPlan() {
    return plans.get(0);
  }

  /**
   * The plan of an id.
   *
   * @param id the plan's id, compared exactly ({@code "pro"})
   * @return the plan
   * @throws InvalidRequestException if {@code id} is null
   * @throws UnknownCatalogItemException if no plan has this id
   */
  public Plan plan(String id) {
    Checks.nonNull(id, "plan id");
    for (Plan plan : plans) {
      if (plan.id().equals(id)) {
        return plan;
      }
    }
    throw new UnknownCatalogItemException(UnknownCatalogItemException.Kind.PLAN, id);
  }

  /**
   * The pack of an id.
   *
   * @param id the pack's id, compared exactly ({@code "small"})
   * @return the pack
   * @throws InvalidRequestException if {@code id} is null
   * @throws UnknownCatalogItemException if no pack has this id
   */
  public Pack pack(String id) {
    Checks.nonNull(id, "pack id");
    for (Pack pack : packs) {
      if (pack.id().equals(id)) {
        return pack;
      }
    }
    throw new UnknownCatalogItemException(UnknownCatalogItemException.Kind.PACK, id);
  }

  /**
   * The position of a plan, lowest first; a higher rank is an upgrade.
   *
   * @param planId the plan's id
   * @return its index in {@link #plans()}: 0 for the starting plan
   * @throws InvalidRequestException if {@code planId} is null
   * @throws UnknownCatalogItemException if no plan has this id
   */
  public int rank(String planId) {
    return plans.indexOf(plan(planId));
  }

  /**
   * The plan above {@code planId}, or empty on the top plan.
   *
   * @param planId the plan's id
   * @return the next plan in {@link #plans()}, what a denial offers as the upgrade
   * @throws InvalidRequestException if {@code planId} is null
   * @throws UnknownCatalogItemException if no plan has this id
   */
  public Optional<Plan> nextPlanAfter(String planId) {
    int rank = rank(planId);
    return rank + 1 < plans.size() ? Optional.of(plans.get(rank + 1)) : Optional.empty();
  }

  /**
   * The pack with the fewest credits that still covers {@code credits}, if any does.
   *
   * @param credits the credits wanted, such as a denial's shortfall
   * @return the first pack of {@link #packs()} granting at least {@code credits}; empty if none
   *     does (custom packs are not considered)
   * @throws InvalidRequestException if {@code credits} is null
   */
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

    /**
     * Adds a plan above the plans added before it.
     *
     * @param plan the plan; its id must differ from every other plan's
     * @return this builder
     * @throws InvalidRequestException if {@code plan} is null
     */
    public Builder plan(Plan plan) {
      plans.add(Checks.nonNull(plan, "plan"));
      return this;
    }

    /**
     * Adds a pack; {@link Catalog#packs()} lists packs by their credits, whatever the order added.
     *
     * @param pack the pack; its id must differ from every other pack's
     * @return this builder
     * @throws InvalidRequestException if {@code pack} is null
     */
    public Builder pack(Pack pack) {
      packs.add(Checks.nonNull(pack, "pack"));
      return this;
    }

    /**
     * Sells custom packs on {@code terms}, replacing any terms set before.
     *
     * @param terms the price bounds and the rate
     * @return this builder
     * @throws InvalidRequestException if {@code terms} is null
     */
    public Builder customPacks(CustomPackTerms terms) {
      this.customPacks = Checks.nonNull(terms, "terms");
      return this;
    }

    /**
     * The catalog.
     *
     * @return the catalog, independent of later changes to this builder
     * @throws InvalidRequestException if there is no plan, or two plans or two packs share an id
     */
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
