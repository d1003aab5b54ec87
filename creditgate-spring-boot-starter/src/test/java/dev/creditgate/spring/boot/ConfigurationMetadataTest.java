package dev.creditgate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditgate.CreditGateBuilder;
import dev.creditgate.postgresql.JdbcWalletStore;
import dev.creditgate.spi.RetryPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metadata an IDE completes {@code creditgate.*} from: generated, with a description for every
 * property, and the defaults it shows are the ones the gate and the store apply.
 */
class ConfigurationMetadataTest {

  private static Map<String, JsonNode> properties() throws IOException {
    Map<String, JsonNode> byName = new HashMap<>();
    try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("spring-configuration-metadata.json on the class path").isNotNull();
      JsonMapper.builder().build().readTree(in).get("properties").forEach(p -> byName.put(p.get("name").asString(), p));
    }
    return byName;
  }

  @Test
  void everySettingIsDescribedForTheIde() throws IOException {
    Map<String, JsonNode> properties = properties();
    for (String property : new String[] {"creditgate.store", "creditgate.catalog.plans", "creditgate.catalog.packs",
        "creditgate.catalog.custom-pack.min-price", "creditgate.cost-table", "creditgate.warn-at",
        "creditgate.warn-below", "creditgate.warn-when-depleted", "creditgate.warn-before-expiry",
        "creditgate.overdraft", "creditgate.hold-time-to-live", "creditgate.postgresql.create-schema",
        "creditgate.postgresql.schema", "creditgate.events.relay-interval", "creditgate.holds.expiry-interval"}) {
      assertThat(properties).containsKey(property);
    }
    properties.forEach((name, property) -> {
      assertThat(property.path("description").asString()).as(name).isNotBlank().doesNotContain("{@");
    });
  }

  @Test
  void theDefaultsShownAreTheOnesApplied() throws IOException {
    Map<String, JsonNode> properties = properties();
    assertThat(duration(properties, "creditgate.hold-time-to-live")).isEqualTo(CreditGateBuilder.DEFAULT_HOLD_TIME_TO_LIVE);
    assertThat(duration(properties, "creditgate.postgresql.retry-deadline")).isEqualTo(RetryPolicy.DEFAULT.deadline());
    assertThat(properties.get("creditgate.postgresql.max-attempts").get("defaultValue").asInt())
        .isEqualTo(RetryPolicy.DEFAULT.maxAttempts());
    assertThat(duration(properties, "creditgate.postgresql.delivered-event-retention"))
        .isEqualTo(JdbcWalletStore.DEFAULT_DELIVERED_EVENT_RETENTION);
    assertThat(duration(properties, "creditgate.forecast.window")).isEqualTo(CreditGateBuilder.DEFAULT_FORECAST_WINDOW);
    assertThat(duration(properties, "creditgate.forecast.minimum-history"))
        .isEqualTo(CreditGateBuilder.DEFAULT_FORECAST_MINIMUM_HISTORY);
    assertThat(properties.get("creditgate.advice.periods-short").get("defaultValue").asInt())
        .isEqualTo(CreditGateBuilder.DEFAULT_UPGRADE_ADVICE_PERIODS_SHORT);
    assertThat(properties.get("creditgate.advice.of-last-periods").get("defaultValue").asInt())
        .isEqualTo(CreditGateBuilder.DEFAULT_UPGRADE_ADVICE_OF_LAST_PERIODS);
    assertThat(properties.get("creditgate.advice.packs-exceed-percent").get("defaultValue").asInt())
        .isEqualTo(CreditGateBuilder.DEFAULT_UPGRADE_ADVICE_PACKS_PERCENT);
    assertThat(duration(properties, "creditgate.warn-before-expiry")).isEqualTo(Duration.ZERO);
    assertThat(properties.get("creditgate.warn-when-depleted").get("defaultValue").asBoolean()).isFalse();
    assertThat(duration(properties, "creditgate.events.relay-interval")).isEqualTo(Duration.ofSeconds(10));
    assertThat(duration(properties, "creditgate.holds.expiry-interval")).isEqualTo(Duration.ofMinutes(1));
  }

  private static Duration duration(Map<String, JsonNode> properties, String name) {
    return DurationStyle.detectAndParse(properties.get(name).get("defaultValue").asString());
  }
}
