package dev.creditgate.spi;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.model.EventId;
import dev.creditgate.model.WalletEvent;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One event in a store's outbox: its {@link EventId} and its payload, which is opaque to the
 * store. A {@link Commit} carries the events of its change; the store records them in the same
 * atomic commit and keeps each until it is delivered (and then for its retention), so that an
 * event the gate could not deliver right away (a sink that failed, a lost reply, a process that
 * stopped) is delivered later. Immutable and thread-safe; equal by id and text.
 *
 * <p>Like {@link IdempotencyRecord}: an event the gate has just made carries its
 * {@link WalletEvent} as an object and encodes the text of {@link #encoded()} only when a store
 * first asks for it (a store that keeps events in memory never does); a persistent store keeps the
 * text and hands it back through {@link #ofEncoded(EventId, String)}, and the gate decodes it.
 */
public final class OutboxEvent {
  private final EventId id;
  /** The event object, or null for an event read back as text. */
  private final WalletEvent event;
  private final Function<WalletEvent, String> encoder;
  /** The text as stored; null for an event made with its object. */
  private final String stored;
  // Encoded at most once per thread that races for it: every encoding is equal, and a String is
  // safe to publish through a data race (the racy single-check idiom of String.hashCode).
  private String encoded;

  private OutboxEvent(EventId id, WalletEvent event, Function<WalletEvent, String> encoder, String stored) {
    if (id == null) {
      throw new InvalidRequestException("event id", null, "an outbox event's id must not be null");
    }
    this.id = id;
    this.event = event;
    this.encoder = encoder;
    this.stored = stored;
  }

  /**
   * An event made by the gate in this process: {@code encoder} turns it into the text of
   * {@link #encoded()} when, and only if, a store asks.
   *
   * @param id the event's id
   * @param event the event
   * @param encoder turns {@code event} into its versioned text; pure
   * @return the outbox event, holding {@code event} as it is
   * @throws InvalidRequestException if an argument is null, or {@code event} is about another
   *     account than {@code id}
   */
  public static OutboxEvent of(EventId id, WalletEvent event, Function<WalletEvent, String> encoder) {
    if (event == null || encoder == null) {
      throw new InvalidRequestException("outbox event", null, "an outbox event's fields must not be null (id " + id + ")");
    }
    if (id != null && !event.account().equals(id.account())) {
      throw new InvalidRequestException("event id", id.toString(), "event " + id + " is about account '"
          + event.account() + "'");
    }
    return new OutboxEvent(id, event, encoder, null);
  }

  /**
   * An event as a persistent store reads it back: its id and the text {@link #encoded()} gave,
   * verbatim. The gate decodes the text when it delivers the event.
   *
   * @param id the event's id, as stored
   * @param text the stored text, exactly as {@link #encoded()} gave it
   * @return an outbox event whose {@link #encoded()} is {@code text}; not checked until decoded
   * @throws InvalidRequestException if an argument is null or {@code text} is empty
   */
  public static OutboxEvent ofEncoded(EventId id, String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidRequestException("encoded event", text, "an encoded event must not be null or empty (id " + id + ")");
    }
    return new OutboxEvent(id, null, null, text);
  }

  /**
   * The event's stable id.
   *
   * @return the account and the event's sequence number within it
   */
  public EventId id() {
    return id;
  }

  /**
   * The event's versioned text, as a persistent store keeps it.
   *
   * @return the non-empty text: as stored for an event read back, else encoded on first use
   * @throws NullPointerException if the encoder returned null
   */
  public String encoded() {
    if (stored != null) {
      return stored;
    }
    String text = encoded;
    if (text == null) {
      text = Objects.requireNonNull(encoder.apply(event), "encoded event");
      encoded = text;
    }
    return text;
  }

  /**
   * The event as the object it was made with, if it was made in this process; empty for an event
   * read back as text (the gate then decodes {@link #encoded()}).
   *
   * @return the event object, or empty
   */
  public Optional<WalletEvent> event() {
    return Optional.ofNullable(event);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutboxEvent e && id.equals(e.id) && encoded().equals(e.encoded());
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, encoded());
  }

  @Override
  public String toString() {
    return "OutboxEvent[id=" + id + ", event=" + (event != null ? event : encoded()) + "]";
  }
}
