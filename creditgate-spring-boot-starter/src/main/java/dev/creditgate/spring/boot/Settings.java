package dev.creditgate.spring.boot;

import dev.creditgate.CreditGateBuilder;
import dev.creditgate.CreditGateException;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.Catalog;
import dev.creditgate.model.Cost;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.CustomPackTerms;
import dev.creditgate.model.Money;
import dev.creditgate.model.Operation;
import dev.creditgate.model.OverdraftPolicy;
import dev.creditgate.model.Pack;
import dev.creditgate.model.Plan;
import dev.creditgate.postgresql.JdbcWalletStore;
import dev.creditgate.spi.RetryPolicy;
import dev.creditgate.spring.boot.CreditGateProperties.CatalogProperties;
import dev.creditgate.spring.boot.CreditGateProperties.CustomPackProperties;
import dev.creditgate.spring.boot.CreditGateProperties.PackProperties;
import dev.creditgate.spring.boot.CreditGateProperties.PlanProperties;
import dev.creditgate.spring.boot.CreditGateProperties.PostgreSqlProperties;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@link CreditGateProperties} into creditgate's values and builders. Every value the core
 * refuses becomes an {@link InvalidConfigurationPropertyValueException} naming the property and
 * the value, which Spring Boot reports at start-up.
 */
final class Settings {

  private static final String PREFIX = "creditgate.";

  private Settings() {}

  /** Applies every setting that is set to {@code builder}; the builder keeps its defaults for the rest. */
  static void apply(CreditGateProperties properties, CreditGateBuilder builder) {
    builder.catalog(catalog(properties.catalog()));
    builder.costTable(costTable(properties.costTable()));
    if (properties.warnAt() != null) {
      List<Integer> percents = properties.warnAt();
      set("warn-at", percents.stream().map(String::valueOf).collect(Collectors.joining(",")),
          () -> builder.warnAt(percents.stream().mapToInt(Integer::intValue).toArray()));
    }
    List<String> below = properties.warnBelow();
    if (below != null) {
      Credits[] amounts = new Credits[below.size()];
      for (int i = 0; i < amounts.length; i++) {
        amounts[i] = credits("warn-below", below.get(i));
      }
      set("warn-below", String.join(",", below), () -> builder.warnBelow(amounts));
    }
    if (properties.warnWhenDepleted() != null) {
      builder.warnWhenDepleted(properties.warnWhenDepleted());
    }
    Duration lead = properties.warnBeforeExpiry();
    if (lead != null) {
      set("warn-before-expiry", lead, () -> builder.warnBeforeExpiry(lead));
    }
    if (properties.overdraft() != null) {
      Credits floor = credits("overdraft", properties.overdraft());
      set("overdraft", properties.overdraft(), () -> builder.overdraft(OverdraftPolicy.downTo(floor)));
    }
    if (properties.holdTimeToLive() != null) {
      set("hold-time-to-live", properties.holdTimeToLive(), () -> builder.holdTimeToLive(properties.holdTimeToLive()));
    }
    if (properties.spendOrder() != null) {
      builder.spendOrder(properties.spendOrder());
    }
    if (properties.upgradePolicy() != null) {
      builder.upgradePolicy(properties.upgradePolicy());
    }
    Duration window = properties.forecast().window();
    if (window != null) {
      set("forecast.window", window, () -> builder.forecastWindow(window));
    }
    Duration minimumHistory = properties.forecast().minimumHistory();
    if (minimumHistory != null) {
      set("forecast.minimum-history", minimumHistory, () -> builder.forecastMinimumHistory(minimumHistory));
    }
    CreditGateProperties.AdviceProperties advice = properties.advice();
    if (advice.periodsShort() != null || advice.ofLastPeriods() != null) {
      int periodsShort = Objects.requireNonNullElse(advice.periodsShort(), CreditGateBuilder.DEFAULT_UPGRADE_ADVICE_PERIODS_SHORT);
      int ofLast = Objects.requireNonNullElse(advice.ofLastPeriods(), CreditGateBuilder.DEFAULT_UPGRADE_ADVICE_OF_LAST_PERIODS);
      set(advice.periodsShort() != null ? "advice.periods-short" : "advice.of-last-periods",
          advice.periodsShort() != null ? periodsShort : ofLast, () -> builder.upgradeAdvice(periodsShort, ofLast));
    }
    Integer percent = advice.packsExceedPercent();
    if (percent != null) {
      set("advice.packs-exceed-percent", percent, () -> builder.upgradeAdviceWhenPacksExceed(percent));
    }
  }

  /** The PostgreSQL store the properties describe, on {@code dataSource}; not yet connected. */
  static JdbcWalletStore postgresqlStore(PostgreSqlProperties properties, DataSource dataSource) {
    JdbcWalletStore.Builder builder = JdbcWalletStore.builder(dataSource);
    String prefix = "postgresql.";
    if (properties.schema() != null) {
      set(prefix + "schema", properties.schema(), () -> builder.schema(properties.schema()));
    }
    if (properties.locking() != null) {
      builder.locking(properties.locking());
    }
    if (properties.deliveredEventRetention() != null) {
      set(prefix + "delivered-event-retention", properties.deliveredEventRetention(),
          () -> builder.deliveredEventRetention(properties.deliveredEventRetention()));
    }
    if (properties.maxAttempts() != null || properties.retryDeadline() != null) {
      int attempts = Objects.requireNonNullElse(properties.maxAttempts(), RetryPolicy.DEFAULT.maxAttempts());
      Duration deadline = Objects.requireNonNullElse(properties.retryDeadline(), RetryPolicy.DEFAULT.deadline());
      value(prefix + "max-attempts", attempts, () -> new RetryPolicy(attempts, RetryPolicy.DEFAULT.deadline()));
      builder.retryPolicy(value(prefix + "retry-deadline", deadline, () -> new RetryPolicy(attempts, deadline)));
    }
    if (properties.groupCommit() != null) {
      set(prefix + "group-commit", properties.groupCommit(), () -> builder.groupCommit(properties.groupCommit()));
      // Refused with optimistic locking: the refusal names the property that turned it on.
      return value(prefix + "group-commit", properties.groupCommit(), builder::build);
    }
    return builder.build();
  }

  static Catalog catalog(CatalogProperties properties) {
    if (properties.plans().isEmpty()) {
      if (!properties.packs().isEmpty() || properties.customPack() != null) {
        throw new InvalidConfigurationPropertyValueException(PREFIX + "catalog.plans", "",
            "a catalog that lists packs or custom pack terms must list its plans too (creditgate.catalog.plans[0].id=...)");
      }
      return Catalog.defaults();
    }
    String currency = properties.currency();
    value("catalog.currency", currency, () -> Money.of("0", currency));
    Catalog.Builder catalog = Catalog.builder();
    List<PlanProperties> plans = properties.plans();
    for (int i = 0; i < plans.size(); i++) {
      String at = plan(i) + ".";
      PlanProperties plan = plans.get(i);
      String id = required(at + "id", plan.id());
      Money price = money(at + "monthly-price", plan.monthlyPrice(), currency);
      Credits credits = credits(at + "monthly-credits", plan.monthlyCredits());
      if (plan.seats() < 1) {
        throw new InvalidConfigurationPropertyValueException(PREFIX + at + "seats", plan.seats(),
            "a plan has at least 1 seat");
      }
      if (plan.limits().containsKey(Plan.SEATS)) {
        throw new InvalidConfigurationPropertyValueException(PREFIX + at + "limits." + Plan.SEATS,
            plan.limits().get(Plan.SEATS), "set a plan's seats with " + PREFIX + at + "seats");
      }
      Map<String, Long> limits = new HashMap<>(plan.limits());
      limits.put(Plan.SEATS, (long) plan.seats());
      Plan made = value(plan(i), id, () -> new Plan(id, plan.name() != null ? plan.name() : id, price, credits,
          Set.copyOf(plan.features()), limits));
      set(plan(i), id, () -> catalog.plan(made));
    }
    List<PackProperties> packs = properties.packs();
    for (int i = 0; i < packs.size(); i++) {
      String at = pack(i) + ".";
      PackProperties pack = packs.get(i);
      String id = required(at + "id", pack.id());
      Money price = money(at + "price", required(at + "price", pack.price()), currency);
      Credits credits = credits(at + "credits", required(at + "credits", pack.credits()));
      Pack made = value(pack(i), id, () -> new Pack(id, pack.name() != null ? pack.name() : id, price, credits));
      set(pack(i), id, () -> catalog.pack(made));
    }
    CustomPackProperties custom = properties.customPack();
    if (custom != null) {
      String at = "catalog.custom-pack.";
      Money min = money(at + "min-price", required(at + "min-price", custom.minPrice()), currency);
      Money max = money(at + "max-price", required(at + "max-price", custom.maxPrice()), currency);
      Credits rate = credits(at + "credits-per-unit", required(at + "credits-per-unit", custom.creditsPerUnit()));
      CustomPackTerms terms = value(at + "max-price", custom.maxPrice(), () -> new CustomPackTerms(min, max, rate));
      catalog.customPacks(terms);
    }
    return value("catalog", null, catalog::build);
  }

  /** The cost table of {@code costs}, each in the text of {@link Cost#parse}; the defaults when empty. */
  static CostTable costTable(Map<String, String> costs) {
    if (costs.isEmpty()) {
      return CostTable.defaults();
    }
    CostTable.Builder table = CostTable.builder();
    new TreeMap<>(costs).forEach((operation, cost) -> set("cost-table." + operation, cost,
        () -> table.cost(Operation.of(operation), Cost.parse(cost))));
    return table.build();
  }

  private static String plan(int index) {
    return "catalog.plans[" + index + "]";
  }

  private static String pack(int index) {
    return "catalog.packs[" + index + "]";
  }

  private static Credits credits(String property, String text) {
    return value(property, text, () -> Credits.parse(text));
  }

  private static Money money(String property, String amount, String currency) {
    return value(property, amount, () -> Money.of(amount, currency));
  }

  private static String required(String property, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidConfigurationPropertyValueException(PREFIX + property, value, "it must be set");
    }
    return value;
  }

  private static void set(String property, Object value, Runnable setter) {
    value(property, value, () -> {
      setter.run();
      return value;
    });
  }

  /** What {@code make} makes, or the refusal of the core as a refusal of the property. */
  private static <T> T value(String property, @Nullable Object value, Supplier<T> make) {
    try {
      return make.get();
    } catch (InvalidRequestException e) {
      throw new InvalidConfigurationPropertyValueException(PREFIX + property, value != null ? value : e.value().orElse(null),
          e.getMessage());
    } catch (CreditGateException e) {
      throw new InvalidConfigurationPropertyValueException(PREFIX + property, value, e.getMessage());
    }
  }
}
