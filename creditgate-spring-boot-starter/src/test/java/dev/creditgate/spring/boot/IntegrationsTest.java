package dev.creditgate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditgate.CreditGate;
import dev.creditgate.CreditGateBuilder;
import dev.creditgate.jackson.CreditGateModule;
import dev.creditgate.micrometer.CreditGateMetrics;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.CostTable;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.model.WalletEvent;
import dev.creditgate.postgresql.JdbcWalletStore;
import dev.creditgate.spi.EventSink;
import dev.creditgate.spi.GateObserver;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;

import tools.jackson.databind.json.JsonMapper;

/** The starter's wiring to what the service has: a clock, customizers, listeners, Micrometer, Jackson, Actuator. */
class IntegrationsTest {

  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CreditGateAutoConfiguration.class, CreditGateHealthAutoConfiguration.class))
      .withPropertyValues("creditgate.store=memory");

  @Test
  void theContextsClockIsTheGates() {
    runner.withBean(Clock.class, () -> Clock.fixed(NOW, ZoneOffset.UTC)).run(context -> {
      CreditGate gate = context.getBean(CreditGate.class);
      gate.openWallet(MAYA, ZoneOffset.UTC);
      assertThat(gate.status(MAYA).periodStart()).isEqualTo(NOW);
    });
  }

  @Test
  void customizersRunAfterThePropertiesInTheirOrder() {
    List<String> ran = new CopyOnWriteArrayList<>();
    CostTable second = CostTable.builder().fixed(Operation.GENERATE_IMAGE, Credits.of(7)).build();
    runner.withPropertyValues("creditgate.cost-table.generate-image=3")
        .withBean("late", CreditGateBuilderCustomizer.class, () -> new Ordered(2, ran, second))
        .withBean("early", CreditGateBuilderCustomizer.class,
            () -> new Ordered(1, ran, CostTable.builder().fixed(Operation.GENERATE_IMAGE, Credits.of(5)).build()))
        .run(context -> {
          assertThat(ran).containsExactly("1", "2");
          assertThat(context.getBean(CreditGate.class).costTable().costs()).isEqualTo(second.costs());
        });
  }

  /** A customizer that sets a cost table and records that it ran. */
  private record Ordered(int order, List<String> ran, CostTable table) implements CreditGateBuilderCustomizer,
      org.springframework.core.Ordered {
    @Override
    public void customize(CreditGateBuilder builder) {
      ran.add(Integer.toString(order));
      builder.costTable(table);
    }

    @Override
    public int getOrder() {
      return order;
    }
  }

  @Test
  void eachWalletEventIsAnApplicationEventAndListenersSelectByItsType() {
    runner.withBean(EventRecorder.class).run(context -> {
      CreditGate gate = context.getBean(CreditGate.class);
      gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 13, IdempotencyKey.of("images"), NOW);
      EventRecorder recorder = context.getBean(EventRecorder.class);
      assertThat(recorder.warnings).singleElement().satisfies(warning -> {
        assertThat(warning.percent()).isEqualTo(20);
        assertThat(warning.available()).isEqualTo(Credits.of(4));
      });
      assertThat(recorder.all).extracting(CreditGateEvent::event).hasAtLeastOneElementOfType(WalletEvent.ThresholdCrossed.class);
      assertThat(recorder.all).extracting(event -> event.id().account()).containsOnly(MAYA);
      assertThat(recorder.all).extracting(event -> event.id().sequence()).isSorted().doesNotHaveDuplicates();
    });
  }

  @Test
  void theServicesOwnSinkReplacesTheApplicationEvents() {
    List<WalletEvent> own = new CopyOnWriteArrayList<>();
    runner.withBean(EventRecorder.class).withBean(EventSink.class, () -> (id, event) -> own.add(event)).run(context -> {
      CreditGate gate = context.getBean(CreditGate.class);
      gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 13, IdempotencyKey.of("images"), NOW);
      assertThat(own).hasAtLeastOneElementOfType(WalletEvent.ThresholdCrossed.class);
      assertThat(context.getBean(EventRecorder.class).all).isEmpty();
    });
  }

  @Test
  void withMicrometerTheGateIsMetered() {
    runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
        .run(context -> {
          assertThat(context).hasSingleBean(CreditGateMetrics.class);
          CreditGate gate = context.getBean(CreditGate.class);
          gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
          gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("image-1"), NOW);
          gate.charge(MAYA, Operation.GENERATE_IMAGE, 100, IdempotencyKey.of("image-2"), NOW);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get(CreditGateMetrics.DECISIONS).tag("result", "allowed").counter().count()).isEqualTo(1);
          assertThat(registry.get(CreditGateMetrics.DECISIONS).tag("result", "denied").counter().count()).isEqualTo(1);
        });
  }

  @Test
  void withoutMicrometerOnTheClassPathThereAreNoMetricsEvenWithARegistryBean() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(CreditGateMetrics.class).hasSingleBean(CreditGate.class);
      context.getBean(CreditGate.class).openWallet(MAYA, ZoneOffset.UTC, NOW);
    });
  }

  @Test
  void theServicesOwnObserverReplacesTheMetrics() {
    AtomicInteger decided = new AtomicInteger();
    GateObserver own = new GateObserver() {
      @Override
      public void decided(Call call, dev.creditgate.Decision decision) {
        decided.incrementAndGet();
      }
    };
    runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
        .withBean(GateObserver.class, () -> own)
        .run(context -> {
          assertThat(context).doesNotHaveBean(CreditGateMetrics.class);
          CreditGate gate = context.getBean(CreditGate.class);
          gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
          gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("image-1"), NOW);
          assertThat(decided).hasValue(1);
        });
  }

  @Test
  void twoObserversOfWhichNoneIsPrimaryStopStartupRatherThanOneBeingDropped() {
    runner.withBean("first", GateObserver.class, () -> new GateObserver() { })
        .withBean("second", GateObserver.class, () -> new GateObserver() { })
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("GateObserver");
        });
  }

  @Test
  void withJacksonSpringsJsonMapperWritesCreditgatesShapesEvenWithoutModuleDiscovery() {
    runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
        .withPropertyValues("spring.jackson.find-and-add-modules=false").run(context -> {
      assertThat(context).hasSingleBean(CreditGateModule.class);
      JsonMapper mapper = context.getBean(JsonMapper.class);
      assertThat(mapper.writeValueAsString(Credits.parse("0.3"))).isEqualTo("\"0.3\"");
      assertThat(mapper.writeValueAsString(MAYA)).isEqualTo("\"maya\"");
      assertThat(mapper.readValue("\"0.3\"", Credits.class)).isEqualTo(Credits.parse("0.3"));
    });
  }

  @Test
  void theServicesOwnModuleBeanIsTheOnlyOne() {
    CreditGateModule own = new CreditGateModule();
    runner.withBean("ownModule", CreditGateModule.class, () -> own)
        .run(context -> assertThat(context.getBean(CreditGateModule.class)).isSameAs(own));
  }

  @Test
  void withoutJacksonThereIsNoModuleBean() {
    runner.withClassLoader(new FilteredClassLoader("tools.jackson")).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(CreditGateModule.class));
  }

  @Test
  void healthReportsTheMemoryStoreUpUnderTheNameCreditgate() {
    runner.withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class)).run(context -> {
      HealthIndicator indicator = (HealthIndicator) context.getBean(HealthContributorRegistry.class)
          .getContributor("creditgate");
      assertThat(indicator).isSameAs(context.getBean(CreditGateHealthIndicator.class));
      Health health = indicator.health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("store", "memory");
    });
  }

  @Test
  void healthReportsPostgresqlUpWithItsSchemaVersion() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CreditGateAutoConfiguration.class, CreditGateHealthAutoConfiguration.class))
        .withBean(DataSource.class, EmbeddedDatabase::dataSource)
        .withPropertyValues("creditgate.postgresql.schema=" + EmbeddedDatabase.newSchema(),
            "creditgate.postgresql.create-schema=true", "creditgate.postgresql.locking=optimistic")
        .run(context -> {
          Health health = context.getBean(CreditGateHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("store", "postgresql")
              .containsEntry("schemaVersion", JdbcWalletStore.SCHEMA_VERSION)
              .containsEntry("locking", "optimistic");
        });
  }

  @Test
  void groupCommitIsTurnedOnByItsPropertyAndTheGateChargesThroughIt() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CreditGateAutoConfiguration.class))
        .withBean(DataSource.class, EmbeddedDatabase::dataSource)
        .withPropertyValues("creditgate.postgresql.schema=" + EmbeddedDatabase.newSchema(),
            "creditgate.postgresql.create-schema=true", "creditgate.postgresql.group-commit=2ms")
        .run(context -> {
          assertThat(context.getBean(JdbcWalletStore.class).groupCommit()).contains(java.time.Duration.ofMillis(2));
          dev.creditgate.CreditGate gate = context.getBean(dev.creditgate.CreditGate.class);
          dev.creditgate.model.AccountId maya = dev.creditgate.model.AccountId.of("maya");
          gate.openWallet(maya, java.time.ZoneOffset.UTC);
          assertThat(gate.charge(maya, dev.creditgate.model.Operation.GENERATE_IMAGE, 1,
              dev.creditgate.model.IdempotencyKey.of("img-1")).isAllowed()).isTrue();
        });
  }

  @Test
  void healthIsDownWithTheStoresErrorWhenTheDatabaseIsUnreachable() {
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setURL("jdbc:postgresql://127.0.0.1:1/creditgate?connectTimeout=1");
    Health health = new CreditGateHealthIndicator(JdbcWalletStore.builder(nowhere).build()).health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails().get("error").toString()).contains("StoreUnavailableException");
  }

  @Test
  void theServicesOwnIndicatorOfThatNameReplacesIt() {
    HealthIndicator own = () -> Health.outOfService().build();
    runner.withBean("creditgateHealthIndicator", HealthIndicator.class, () -> own).run(context -> {
      assertThat(context).doesNotHaveBean(CreditGateHealthIndicator.class);
      assertThat(context.getBean("creditgateHealthIndicator")).isSameAs(own);
    });
  }

  @Test
  void healthIsOffWhenItsPropertySaysSo() {
    runner.withPropertyValues("management.health.creditgate.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(CreditGateHealthIndicator.class).hasSingleBean(CreditGate.class));
  }

  @Test
  void withoutActuatorsHealthThereIsNoIndicator() {
    runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(CreditGateHealthIndicator.class));
  }
}
