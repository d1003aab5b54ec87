package dev.creditgate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import dev.creditgate.model.Credits;
import dev.creditgate.model.IdempotencyKey;
import dev.creditgate.model.Operation;
import dev.creditgate.postgresql.JdbcWalletStore;
import dev.creditgate.spi.SchemaMissingException;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;

import java.time.Instant;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Which store the starter picks, and that it never keeps wallets in memory unasked. */
class StoreSelectionTest {

  private static final AccountId MAYA = AccountId.of("maya");
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CreditGateAutoConfiguration.class));

  @Test
  void withoutDataSourceOrMemoryStartupFailsAndSaysHowToChoose() {
    runner.run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining("creditgate.store")
          .hasMessageContaining("DataSource")
          .hasMessageContaining("creditgate.store=memory");
    });
  }

  @Test
  void memoryOnlyWhenAskedFor() {
    runner.withPropertyValues("creditgate.store=memory").run(context -> {
      assertThat(context).hasSingleBean(CreditGate.class).hasSingleBean(InMemoryWalletStore.class);
      CreditGate gate = context.getBean(CreditGate.class);
      gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("image-1"), NOW);
      assertThat(gate.status(MAYA, NOW).balance()).isEqualTo(Credits.of(28));
    });
  }

  @Test
  void postgresqlWhenTheContextHasADataSourceAndWalletsOutliveTheContext() {
    String schema = EmbeddedDatabase.newSchema();
    ApplicationContextRunner postgres = runner.withBean(DataSource.class, EmbeddedDatabase::dataSource)
        .withPropertyValues("creditgate.postgresql.schema=" + schema, "creditgate.postgresql.create-schema=true");
    postgres.run(context -> {
      assertThat(context).hasSingleBean(JdbcWalletStore.class).doesNotHaveBean(InMemoryWalletStore.class);
      CreditGate gate = context.getBean(CreditGate.class);
      gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
      gate.charge(MAYA, Operation.GENERATE_IMAGE, 1, IdempotencyKey.of("image-1"), NOW);
    });
    postgres.run(context -> assertThat(context.getBean(CreditGate.class).status(MAYA, NOW).balance())
        .isEqualTo(Credits.of(28)));
  }

  @Test
  void theSchemaIsCheckedAtStartupAndNeverCreatedUnasked() {
    String schema = EmbeddedDatabase.newSchema();
    runner.withBean(DataSource.class, EmbeddedDatabase::dataSource)
        .withPropertyValues("creditgate.postgresql.schema=" + schema)
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(SchemaMissingException.class);
        });
    assertThat(EmbeddedDatabase.tableExists(schema, "creditgate_wallet")).isFalse();
  }

  @Test
  void memoryWhenAskedForEvenWithADataSource() {
    runner.withBean(DataSource.class, EmbeddedDatabase::dataSource).withPropertyValues("creditgate.store=memory")
        .run(context -> assertThat(context).hasSingleBean(InMemoryWalletStore.class)
            .doesNotHaveBean(JdbcWalletStore.class));
  }

  @Test
  void postgresqlAskedForWithoutDataSourceFailsNamingIt() {
    runner.withPropertyValues("creditgate.store=postgresql").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining("'postgresql'")
          .hasMessageContaining("needs a DataSource");
    });
  }

  @Test
  void theServicesOwnStoreWinsOverBoth() {
    InMemoryWalletStore own = InMemoryWalletStore.create();
    runner.withBean(DataSource.class, EmbeddedDatabase::dataSource)
        .withBean("ownStore", WalletStore.class, () -> own)
        .run(context -> {
          assertThat(context).hasSingleBean(WalletStore.class).doesNotHaveBean(JdbcWalletStore.class);
          context.getBean(CreditGate.class).openWallet(MAYA, ZoneOffset.UTC, NOW);
          assertThat(own.load(MAYA)).isPresent();
        });
  }

  @Test
  void theServicesOwnGateWinsAndNoStoreIsMadeForIt() {
    CreditGate own = CreditGate.inMemory();
    // A DataSource without creditgate's tables: a store made anyway would fail its schema check.
    runner.withConfiguration(AutoConfigurations.of(CreditGateHealthAutoConfiguration.class))
        .withBean(DataSource.class, EmbeddedDatabase::dataSource)
        .withPropertyValues("creditgate.postgresql.schema=" + EmbeddedDatabase.newSchema())
        .withBean("ownGate", CreditGate.class, () -> own)
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(WalletStore.class)
              .doesNotHaveBean(CreditGateHealthIndicator.class);
          assertThat(context.getBean(CreditGate.class)).isSameAs(own);
        });
  }

  @Test
  void springBootsOwnDataSourceAndScriptsComeFirstThenTheSchemaCheckPasses() {
    // The tables come from spring.sql.init, as they would from Flyway or Liquibase: the store's
    // check at start-up must wait for them.
    runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
            DataSourceInitializationAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=" + EmbeddedDatabase.newDatabaseUrl(),
            "spring.datasource.username=postgres", "spring.datasource.password=postgres",
            "spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource",
            "spring.sql.init.mode=always",
            "spring.sql.init.schema-locations=classpath:db/creditgate-postgresql/V1__creditgate.sql,"
                + "classpath:db/creditgate-postgresql/V2__creditgate_outbox.sql,"
                + "classpath:db/creditgate-postgresql/V3__creditgate_no_checks.sql")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(JdbcWalletStore.class);
          CreditGate gate = context.getBean(CreditGate.class);
          gate.openWallet(MAYA, ZoneOffset.UTC, NOW);
          assertThat(gate.status(MAYA, NOW).balance()).isEqualTo(Credits.of(30));
        });
  }
}
