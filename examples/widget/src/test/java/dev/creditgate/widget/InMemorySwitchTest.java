package dev.creditgate.widget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditgate.WalletStatus;
import dev.creditgate.model.Credits;
import dev.creditgate.spi.WalletStore;
import dev.creditgate.store.memory.InMemoryWalletStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/** {@code creditgate.store=memory}: no database starts, the wallets are kept in memory, and the page's API serves. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "creditgate.store=memory")
class InMemorySwitchTest {
  @LocalServerPort
  int port;
  @Autowired
  JsonMapper mapper;
  @Autowired
  ApplicationContext context;

  @Test
  void theApplicationStartsWithoutADatabaseAndServesTheDemoAccountsStatus() {
    assertThat(context.getBeanNamesForType(EmbeddedPostgres.class)).isEmpty();
    assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
    assertThat(context.getBean(WalletStore.class)).isInstanceOf(InMemoryWalletStore.class);

    Api.Answer answer = new Api(port, mapper).get("/api/accounts/maya/status");

    assertThat(answer.status()).isEqualTo(200);
    WalletStatus status = answer.as(WalletStatus.class);
    assertThat(status.plan()).isEqualTo("free");
    assertThat(status.available()).isEqualTo(Credits.of(30));
  }
}
