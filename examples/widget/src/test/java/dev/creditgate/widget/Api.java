package dev.creditgate.widget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The widget's REST endpoints as a client sees them: real HTTP against the running server, bodies
 * read with the application's own mapper (so creditgate's shapes read back as creditgate's types).
 */
final class Api {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final JsonMapper mapper;

  Api(int port, JsonMapper mapper) {
    this.base = "http://localhost:" + port;
    this.mapper = mapper;
  }

  /** A response: its status, its Retry-After header (or null) and its body. */
  record Answer(int status, String retryAfter, String contentType, String body, JsonMapper mapper) {
    <T> T as(Class<T> type) {
      return mapper.readValue(body, type);
    }

    JsonNode json() {
      return mapper.readTree(body);
    }
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), null);
  }

  Answer post(String path, String key, String json) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).POST(body(json)), key, json);
  }

  Answer put(String path, String key, String json) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(body(json)), key, json);
  }

  private static HttpRequest.BodyPublisher body(String json) {
    return json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
  }

  private Answer send(HttpRequest.Builder request, String key, String json) {
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return send(request, key);
  }

  private Answer send(HttpRequest.Builder request, String key) {
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    request.timeout(Duration.ofSeconds(20));
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
          response.headers().firstValue("Content-Type").orElse(""), response.body(), mapper);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
