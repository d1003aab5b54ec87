package dev.creditgate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The metadata an IDE completes {@code creditgate.*} from is generated, with descriptions and defaults. */
class ConfigurationMetadataTest {

  @Test
  void everySettingIsDescribedForTheIde() throws IOException {
    String metadata;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("spring-configuration-metadata.json on the class path").isNotNull();
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String property : new String[] {"creditgate.store", "creditgate.catalog.plans", "creditgate.catalog.packs",
        "creditgate.catalog.custom-pack.min-price", "creditgate.cost-table", "creditgate.warn-at",
        "creditgate.overdraft", "creditgate.hold-time-to-live", "creditgate.postgresql.create-schema",
        "creditgate.postgresql.schema", "creditgate.events.relay-interval", "creditgate.holds.expiry-interval"}) {
      assertThat(metadata).contains("\"name\": \"" + property + "\"");
    }
    assertThat(metadata).contains("\"defaultValue\": \"10s\"").contains("\"defaultValue\": \"1m\"");
    assertThat(metadata).doesNotContain("{@code");
  }
}
