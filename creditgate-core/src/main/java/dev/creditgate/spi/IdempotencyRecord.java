package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.IdempotencyKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the first successful call with an idempotency key asked and answered. Immutable and
 * thread-safe; equal by key, request text, result text and time.
 *
 * <p>A store keeps {@link #request()} and {@link #result()} verbatim, as text. A record the gate
 * has just made carries its request and its result as objects and encodes each text only when a
 * store first asks for it: a store that keeps records in memory hands the record back as it was
 * committed and never pays for either text (the request's only if the key is used again), while a
 * persistent store reads the texts and builds records with
 * {@link #IdempotencyRecord(IdempotencyKey, String, String, Instant) the text constructor}.
 */
public final class IdempotencyRecord {
  private final IdempotencyKey key;
  private final Instant at;
  /** The request and the result, each as stored text or as an object encoded on first use. */
  private final Text request;
  private final Text result;

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
    this(key, Text.stored(request), Text.stored(result), at);
  }

  private IdempotencyRecord(IdempotencyKey key, Text request, Text result, Instant at) {
    if (key == null || request == null || result == null || at == null) {
      throw new InvalidRequestException("idempotency record", null, "idempotency record fields must not be null");
    }
    this.key = key;
    this.request = request;
    this.result = result;
    this.at = at;
  }

  /**
   * A record of a call made in this process: {@code request} and {@code value} are the call's
   * arguments and result, and each encoder turns its object into the text of {@link #request()}
   * or {@link #result()} when, and only if, a store asks. The encoders must be pure and give text
   * the caller can decode back into an equal value.
   *
   * @param <Q> the type of the call's arguments
   * @param <R> the type of the call's result
   * @param key the idempotency key the call was made with
   * @param request the call's arguments, whose text is compared with a repeated call's
   * @param requestEncoder turns {@code request} into the text of {@link #request()}; called at
   *     most once per thread that asks for the text, never if no one does
   * @param value the call's result
   * @param encoder turns {@code value} into the text of {@link #result()}, in the same way
   * @param at the time of the call
   * @return the record, holding {@code request} and {@code value} as they are
   * @throws InvalidRequestException if an argument is null
   */
  public static <Q, R> IdempotencyRecord of(IdempotencyKey key, Q request, Function<? super Q, String> requestEncoder,
      R value, Function<? super R, String> encoder, Instant at) {
    return new IdempotencyRecord(key, Text.encoded(request, requestEncoder), Text.encoded(value, encoder), at);
  }

  /**
   * A text as stored, or an object and the encoder of its text, applied on first use. Every
   * encoding is equal and a String is safe to publish through a data race (the racy single-check
   * idiom of String.hashCode), so a record stays immutable as seen from outside.
   */
  private static final class Text {
    /** The object, or null for a text read back as stored. */
    private final Object value;
    private final Function<Object, String> encoder;
    private String text;

    private Text(Object value, Function<Object, String> encoder, String text) {
      this.value = value;
      this.encoder = encoder;
      this.text = text;
    }

    static Text stored(String text) {
      return text == null ? null : new Text(null, null, text);
    }

    @SuppressWarnings("unchecked")
    static <T> Text encoded(T value, Function<? super T, String> encoder) {
      return value == null || encoder == null ? null : new Text(value, (Function<Object, String>) encoder, null);
    }

    String text() {
      String t = text;
      if (t == null) {
        t = Objects.requireNonNull(encoder.apply(value), "encoded text");
        text = t;
      }
      return t;
    }
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
   * @return the request text, kept by a store verbatim: as stored for a record read back, else
   *     encoded from the request on first use; a repeated call with other arguments fails with
   *     {@link dev.creditgate.IdempotencyConflictException}
   * @throws NullPointerException if the encoder returned null
   */
  public String request() {
    return request.text();
  }

  /**
   * The call's result as text, returned again (decoded) to a repeated call.
   *
   * @return the result text: as stored for a record read back, else encoded from the value on
   *     first use
   * @throws NullPointerException if the encoder returned null
   */
  public String result() {
    return result.text();
  }

  /**
   * The result as the object the record was made with, if it was made in this process; empty for
   * a record read back as text (then decode {@link #result()}).
   *
   * @return the result object, or empty
   */
  public Optional<Object> value() {
    return Optional.ofNullable(result.value);
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
    return o instanceof IdempotencyRecord r && key.equals(r.key) && request().equals(r.request())
        && at.equals(r.at) && result().equals(r.result());
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, request(), result(), at);
  }

  @Override
  public String toString() {
    return "IdempotencyRecord[key=" + key + ", request=" + request() + ", result=" + result() + ", at=" + at + "]";
  }
}
