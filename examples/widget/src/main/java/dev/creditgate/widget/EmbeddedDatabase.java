package dev.creditgate.widget;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The demo's database: a PostgreSQL 16 the application starts itself, in a temporary directory, and
 * stops on shutdown (a service would point at its own database, through a pool). Not started when
 * the wallets are kept in memory ({@code creditgate.store=memory}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${creditgate.store:postgresql}'.equalsIgnoreCase('memory')")
class EmbeddedDatabase {

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres() {
    try {
      return EmbeddedPostgres.start();
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
    }
  }

  @Bean
  DataSource dataSource(EmbeddedPostgres postgres) {
    return postgres.getPostgresDatabase();
  }
}
