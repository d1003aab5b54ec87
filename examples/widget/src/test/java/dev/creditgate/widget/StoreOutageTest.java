package dev.creditgate.widget;

import static dev.creditgate.widget.Wallets.aiChange;
import static dev.creditgate.widget.Wallets.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditgate.CreditGate;
import dev.creditgate.model.AccountId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stopped database: the application's own embedded PostgreSQL is shut down under it. Every call
 * then fails within the gate's retry budget (2 seconds) with 503 and a Retry-After header. Its own
 * application context (the marker property), thrown away afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "widget.test.context=outage")
@DirtiesContext
class StoreOutageTest {
  @LocalServerPort
  int port;
  @Autowired
  JsonMapper mapper;
  @Autowired
  CreditGate gate;
  @Autowired
  EmbeddedPostgres postgres;

  @Test
  void aStoppedDatabaseIs503WithRetryAfterWithinTheRetryBudget() throws IOException {
    Api api = new Api(port, mapper);
    AccountId account = Wallets.open(gate, "outage");
    assertThat(api.get("/api/accounts/" + account.value() + "/status").status()).isEqualTo(200);

    postgres.close();

    long started = System.nanoTime();
    Api.Answer status = api.get("/api/accounts/" + account.value() + "/status");
    Api.Answer change = api.post("/api/accounts/" + account.value() + "/ai-changes", key(), aiChange(2_000, 2_000, "SUCCEEDED"));
    Api.Answer payment = api.post("/api/webhooks/payments", null,
        "{\"paymentId\":\"pi_" + key() + "\",\"account\":\"" + account.value() + "\",\"pack\":\"small\"}");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    for (Api.Answer answer : new Api.Answer[] {status, change, payment}) {
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.retryAfter()).isEqualTo("2");
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.json().get("retrySafe").asBoolean()).isTrue();
    }
    assertThat(took).as("three calls, each within the 2 s budget").isLessThan(Duration.ofSeconds(10));
  }
}
