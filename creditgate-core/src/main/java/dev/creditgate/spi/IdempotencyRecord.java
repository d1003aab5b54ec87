package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.IdempotencyKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the first successful call with an idempotency key asked and answered. Immutable and
 * thread-safe; equal by key, request, result text and time.
 *
 * <p>A store keeps {@link #request()} and {@link #result()} verbatim, as text. A record the gate
 * has just made also carries its result as an object and encodes the text only when a store first
 * asks for it: a store that keeps records in memory hands the record back as it was committed and
 * never pays for the text, while a persistent store reads the text and builds records with
 * {@link #IdempotencyRecord(IdempotencyKey, String, String, Instant) the text constructor}.
 */
public final class IdempotencyRecord {
  private final IdempotencyKey key;
  private final String request;
  private final Instant at;
  /** The result object, or null for a record read back as text. */
  private final Object value;
  private final Function<Object, String> encoder;
  /** The result text as stored; null for a record made with its result object. */
  private final String stored;
  // For a record made with its object: encoded at most once per thread that races for it. Every
  // encoding is equal and a String is safe to publish through a data race (the racy single-check
  // idiom of String.hashCode), so the record stays immutable as seen from outside.
  private String encoded;

  /**
   * A record as a store reads it back: every field as stored.
   *
   * @param key the idempotency key the call was made with
   * @param request the call's arguments, compared with a repeated call's
   * @param result the call's result, returned again to a repeated call
   * @param at the time of the call, exactly as stored (to the nanosecond)
   * @throws InvalidRequestException if an argument is null
   */
  public IdempotencyRecord(IdempotencyKey key, String request, String result, Instant at) {
    this(key, request, at, null, null, requireText(result));
  }

  private IdempotencyRecord(IdempotencyKey key, String request, Instant at, Object value,
      Function<Object, String> encoder, String stored) {
    if (key == null || request == null || at == null) {
      throw new InvalidRequestException("idempotency record", null, "idempotency record fields must not be null");
    }
    this.key = key;
    this.request = request;
    this.at = at;
    this.value = value;
    this.encoder = encoder;
    this.stored = stored;
  }

  private static String requireText(String result) {
    if (result == null) {
      throw new InvalidRequestException("idempotency record", null, "idempotency record fields must not be null");
    }
    return result;
  }

  /**
   * A record of a call made in this process: {@code value} is the call's result, and
   * {@code encoder} turns it into the text of {@link #result()} when, and only if, a store asks.
   * The encoder must be pure and give text the caller can decode back into an equal value.
   *
   * @param <R> the type of the call's result
   * @param key the idempotency key the call was made with
   * @param request the call's arguments, as text compared with a repeated call's
   * @param value the call's result
   * @param encoder turns {@code value} into the text of {@link #result()}; called at most once
   *     per thread that asks for the text, never if no one does
   * @param at the time of the call
   * @return the record, holding {@code value} as it is
   * @throws InvalidRequestException if an argument is null
   */
  @SuppressWarnings("unchecked")
  public static <R> IdempotencyRecord of(IdempotencyKey key, String request, R value,
      Function<? super R, String> encoder, Instant at) {
    if (value == null || encoder == null) {
      throw new InvalidRequestException("idempotency record", null, "idempotency record fields must not be null");
    }
    return new IdempotencyRecord(key, request, at, value, (Function<Object, String>) encoder, null);
  }

  /**
   * The key the call was made with; unique per account among its records.
   *
   * @return the idempotency key
   */
  public IdempotencyKey key() {
    return key;
  }

  /**
   * The call's arguments, compared with a repeated call's.
   *
   * @return the request text, kept by a store verbatim; a repeated call with other arguments
   *     fails with {@link dev.creditgate.IdempotencyConflictException}
   */
  public String request() {
    return request;
  }

  /**
   * The call's result as text, returned again (decoded) to a repeated call.
   *
   * @return the result text: as stored for a record read back, else encoded from the value on
   *     first use
   * @throws NullPointerException if the encoder returned null
   */
  public String result() {
    if (stored != null) {
      return stored;
    }
    String text = encoded;
    if (text == null) {
      text = Objects.requireNonNull(encoder.apply(value), "encoded result");
      encoded = text;
    }
    return text;
  }

  /**
   * The result as the object the record was made with, if it was made in this process; empty for
   * a record read back as text (then decode {@link #result()}).
   *
   * @return the result object, or empty
   */
  public Optional<Object> value() {
    return Optional.ofNullable(value);
  }

  /**
   * When the call was made.
   *
   * @return the call's time, which a store keeps to the nanosecond (a store's retention counts
   *     from when the record was stored, by the store's clock, not from this time)
   */
  public Instant at() {
    return at;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdempotencyRecord r && key.equals(r.key) && request.equals(r.request)
        && at.equals(r.at) && result().equals(r.result());
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, request, result(), at);
  }

  @Override
  public String toString() {
    return "IdempotencyRecord[key=" + key + ", request=" + request + ", result=" + result() + ", at=" + at + "]";
  }
}
