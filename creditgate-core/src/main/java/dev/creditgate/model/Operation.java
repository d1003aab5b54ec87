package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * Something a user tries to do, named by the host. Its cost comes from a {@link CostTable}.
 * The constants are the operations of the help article, priced by {@link CostTable#defaults()}.
 * The id is at most 100 characters, not blank, without commas, quotes or line breaks, U+0000 or
 * lone surrogates. Immutable.
 *
 * @param id the host's name for the operation, as the {@link CostTable} lists it and the ledger
 *     records it; compared exactly
 */
public record Operation(String id) {
  /** The most characters an operation id may have: {@value}. */
  public static final int MAX_LENGTH = 100;

  /**
   * An AI-powered change: every chat message uses credits, metered by tokens. By default 0.1
   * credits plus 0.1 per 1,000 tokens.
   */
  public static final Operation AI_CHAT_MESSAGE = new Operation("ai-chat-message");
  /**
   * A plan-mode message: the AI plans before building; cheaper per token. By default 0.05 credits
   * plus 0.05 per 1,000 tokens.
   */
  public static final Operation PLAN_MODE_MESSAGE = new Operation("plan-mode-message");
  /** Generating an image; the quantity counts images. By default 2 credits each. */
  public static final Operation GENERATE_IMAGE = new Operation("generate-image");
  /** Connecting an integration; the quantity counts integrations. By default 5 credits each. */
  public static final Operation CONNECT_INTEGRATION = new Operation("connect-integration");
  /** Live apps keep working for all their users, at any balance. Free by default. */
  public static final Operation SERVE_LIVE_APP = new Operation("serve-live-app");
  /** Publishing an update of an app. Free by default. */
  public static final Operation PUBLISH_UPDATE = new Operation("publish-update");
  /** Viewing an app's data. Free by default. */
  public static final Operation VIEW_DATA = new Operation("view-data");
  /** Editing an app's data. Free by default. */
  public static final Operation EDIT_DATA = new Operation("edit-data");
  /** Exporting an app's data. Free by default. */
  public static final Operation EXPORT_DATA = new Operation("export-data");
  /** Sharing an app. Free by default. */
  public static final Operation SHARE_APP = new Operation("share-app");

  /**
   * Checks the id.
   *
   * @param id the operation's name, at most {@link #MAX_LENGTH} characters
   * @throws InvalidRequestException naming the id if it is null, blank, too long, or has a comma,
   *     a double quote, a line break (line feed or carriage return), U+0000 or a lone surrogate
   */
  public Operation {
    Checks.text(id, "operation id", MAX_LENGTH);
    if (id.contains(",") || id.contains("\n") || id.contains("\r") || id.contains("\"")) {
      throw new InvalidRequestException("operation id", id,
          "operation id '" + id + "' must not contain commas, quotes or line breaks");
    }
  }

  /**
   * The operation named {@code id}; the same as the constructor.
   *
   * @param id the operation's name, at most {@link #MAX_LENGTH} characters
   * @return the operation, equal to every other operation of the same id (such as the constant of
   *     that name)
   * @throws InvalidRequestException naming the id if it is null, blank, too long, or has a comma,
   *     a double quote, a line break (line feed or carriage return), U+0000 or a lone surrogate
   */
  public static Operation of(String id) {
    return new Operation(id);
  }

  /**
   * The id, exactly as given.
   *
   * @return {@link #id()}
   */
  @Override
  public String toString() {
    return id;
  }
}
