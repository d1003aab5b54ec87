package dev.creditgate.spring.boot;

import dev.creditgate.model.SpendOrder;
import dev.creditgate.model.UpgradePolicy;
import dev.creditgate.postgresql.JdbcWalletStore.Locking;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gate's settings under creditgate.*. A setting left out keeps the default of
 * {@link dev.creditgate.CreditGateBuilder} (the help article's catalog and cost table, warnings at
 * 20% and 0%, no overdraft, holds open for 15 minutes); a value the gate refuses stops the service
 * at start-up, naming the property and the value. Credits are decimal text ("0.5"), prices
 * decimal text in the catalog's currency ("20", "9.99").
 *
 * <pre>
 * creditgate.store=memory
 * creditgate.catalog.plans[0].id=free
 * creditgate.catalog.plans[0].monthly-credits=30
 * creditgate.catalog.packs[0].id=small
 * creditgate.catalog.packs[0].price=10
 * creditgate.catalog.packs[0].credits=100
 * creditgate.cost-table.ai-chat-message=metered 0.1 + 0.1 per 1000
 * creditgate.cost-table.publish-update=free
 * creditgate.warn-at=20,0
 * creditgate.warn-below=5
 * creditgate.warn-when-depleted=true
 * creditgate.warn-before-expiry=3d
 * </pre>
 *
 * @param store where wallets are kept: postgresql (the default when the service has a
 *     DataSource) or memory (lost on restart; never chosen unless set)
 * @param catalog the plans and packs on sale; the help article's when no plan is listed
 * @param costTable what each operation costs, one entry per operation in the text of
 *     CostTable.fromProperties (free, a fixed price such as 2, or
 *     metered 0.1 + 0.1 per 1000); when set it is the whole table, the help article's
 *     when empty
 * @param warnAt the balance warnings in percent of the period's allowance, each 0 to 100;
 *     20,0 when not set
 * @param warnBelow the balance warnings in credits ("under 5 credits"), each zero or more; none
 *     when not set
 * @param warnWhenDepleted whether a depletion event is published when a spend leaves nothing
 *     available; false when not set
 * @param warnBeforeExpiry how long before a promotional grant expires its expiry warning is due,
 *     at most 365 days; none (0) when not set
 * @param overdraft how far below zero the last operation may take the balance, in credits;
 *     0 (no overdraft) when not set
 * @param holdTimeToLive how long a hold stays open before it expires; 15 minutes when not set
 * @param spendOrder which credits a charge takes first: subscription-first when not set,
 *     or packs-first
 * @param upgradePolicy what an upgrade does to the period: restart-period when not set,
 *     or keep-renewal-date
 * @param postgresql the PostgreSQL store's settings
 * @param events the relay that hands over events a call could not
 * @param holds the sweep that expires holds left open
 * @param forecast the runway forecast's settings
 * @param advice when the advice is to upgrade rather than buy a pack or wait
 */
@ConfigurationProperties("creditgate")
public record CreditGateProperties(
    @Nullable Store store,
    @DefaultValue CatalogProperties catalog,
    @DefaultValue Map<String, String> costTable,
    @Nullable List<Integer> warnAt,
    @Nullable List<String> warnBelow,
    @Nullable Boolean warnWhenDepleted,
    @Nullable Duration warnBeforeExpiry,
    @Nullable String overdraft,
    @Nullable Duration holdTimeToLive,
    @Nullable SpendOrder spendOrder,
    @Nullable UpgradePolicy upgradePolicy,
    @DefaultValue PostgreSqlProperties postgresql,
    @DefaultValue EventsProperties events,
    @DefaultValue HoldsProperties holds,
    @DefaultValue ForecastProperties forecast,
    @DefaultValue AdviceProperties advice) {

  /** Where wallets are kept. */
  public enum Store {
    /** JdbcWalletStore on the service's DataSource, shared by every instance. */
    POSTGRESQL,
    /** InMemoryWalletStore: one instance, lost on restart; for demos and tests. */
    MEMORY
  }

  /**
   * The plans and packs on sale (creditgate.catalog.*). With no plan listed it is the
   * help article's catalog, and listing packs or custom pack terms alone is refused.
   *
   * @param currency the currency of every price, an ISO 4217 code; USD by default
   * @param plans the plans from the lowest to the highest; the first is where a new wallet starts
   * @param packs the packs on sale
   * @param customPack the terms of the Custom pack; none sold when not set
   */
  public record CatalogProperties(
      @DefaultValue("USD") String currency,
      @DefaultValue List<PlanProperties> plans,
      @DefaultValue List<PackProperties> packs,
      @Nullable CustomPackProperties customPack) {
  }

  /**
   * One plan (creditgate.catalog.plans[i].*).
   *
   * @param id the plan's id, which a plan change names (pro)
   * @param name the name to show; the id when not set
   * @param monthlyPrice the price per period in the catalog's currency; 0 by default
   * @param monthlyCredits the credits granted each period; 0 by default
   * @param seats how many members may share the wallet; 1 by default
   * @param features the feature flags the plan grants (custom-domains)
   * @param limits further numeric limits by name (projects: 10)
   */
  public record PlanProperties(
      @Nullable String id,
      @Nullable String name,
      @DefaultValue("0") String monthlyPrice,
      @DefaultValue("0") String monthlyCredits,
      @DefaultValue("1") int seats,
      @DefaultValue List<String> features,
      @DefaultValue Map<String, Long> limits) {
  }

  /**
   * One pack (creditgate.catalog.packs[i].*).
   *
   * @param id the pack's id, which a top-up names (small)
   * @param name the name to show; the id when not set
   * @param price its price in the catalog's currency
   * @param credits the credits it grants, which never expire
   */
  public record PackProperties(@Nullable String id, @Nullable String name, @Nullable String price,
      @Nullable String credits) {
  }

  /**
   * The Custom pack's terms (creditgate.catalog.custom-pack.*).
   *
   * @param minPrice the lowest price a customer may pick, in the catalog's currency
   * @param maxPrice the highest price a customer may pick
   * @param creditsPerUnit the credits each whole unit of the currency buys (10 per dollar)
   */
  public record CustomPackProperties(@Nullable String minPrice, @Nullable String maxPrice,
      @Nullable String creditsPerUnit) {
  }

  /**
   * The PostgreSQL store (creditgate.postgresql.*).
   *
   * @param schema the schema of creditgate's tables; the first schema of the connection's search
   *     path when not set
   * @param createSchema whether start-up creates or migrates the tables (true) or only
   *     checks they are there at the current version (false, the default: apply the
   *     scripts with Flyway or Liquibase)
   * @param locking wallet-lock (the default) or optimistic
   * @param deliveredEventRetention how long delivered events stay in the outbox; 7 days when
   *     not set
   * @param maxAttempts the most attempts of one call through store failures and lost races; 64
   *     when not set
   * @param retryDeadline how long after its first attempt a call may start another; 2 seconds
   *     when not set
   * @param groupCommit group commit's window (0ms to 100ms; 0ms waits for nothing beyond the
   *     batch being written): concurrent calls of this instance share one transaction and one
   *     commit; off when not set (wallet-lock only)
   */
  public record PostgreSqlProperties(
      @Nullable String schema,
      @DefaultValue("false") boolean createSchema,
      @Nullable Locking locking,
      @Nullable Duration deliveredEventRetention,
      @Nullable Integer maxAttempts,
      @Nullable Duration retryDeadline,
      @Nullable Duration groupCommit) {
  }

  /**
   * The event relay (creditgate.events.*): a call hands its events to the listeners
   * itself; the relay hands over those it could not (a listener threw, the service stopped).
   *
   * @param relayInterval the time between relay runs; zero turns the relay off (run
   *     CreditGate.deliverPendingEvents yourself then); 10 seconds by default
   * @param relayBatch the most events one relay run hands over; 1,000 by default
   */
  public record EventsProperties(@DefaultValue("10s") Duration relayInterval, @DefaultValue("1000") int relayBatch) {
  }

  /**
   * The hold sweep (creditgate.holds.*): expires holds whose time-to-live has passed and
   * returns their credits.
   *
   * @param expiryInterval the time between sweeps; zero turns the sweep off (run
   *     CreditGate.expireHolds yourself then); 1 minute by default
   */
  public record HoldsProperties(@DefaultValue("1m") Duration expiryInterval) {
  }

  /**
   * The runway forecast ({@code creditgate.forecast.*}).
   *
   * @param window how many days of spending the burn rate is measured over; 14 days when not set
   * @param minimumHistory how long a wallet must have been spending before it gets a rate rather
   *     than "not enough history"; 1 day when not set
   */
  public record ForecastProperties(@Nullable Duration window, @Nullable Duration minimumHistory) {
  }

  /**
   * The advice's rule ({@code creditgate.advice.*}): upgrade when the wallet ran out or bought
   * packs in at least periods-short of its last of-last-periods periods, or when its packs in one
   * of them cost more than packs-exceed-percent of the price difference to the next plan.
   *
   * @param periodsShort in how many of the periods looked at the wallet ran out or bought packs; 2
   *     when not set
   * @param ofLastPeriods how many periods are looked at, the one in force counted; 3 when not set
   * @param packsExceedPercent the share of the next plan's price difference, in percent, that a
   *     period's pack purchases must exceed; 100 when not set
   */
  public record AdviceProperties(@Nullable Integer periodsShort, @Nullable Integer ofLastPeriods,
      @Nullable Integer packsExceedPercent) {
  }
}
