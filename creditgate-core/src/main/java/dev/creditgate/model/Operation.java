package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;

/**
 * Something a user tries to do, named by the host. Its cost comes from a {@link CostTable}.
 * The constants are the operations of the help article, priced by {@link CostTable#defaults()}.
 * The id is at most 100 characters, not blank, without commas, quotes or line breaks, U+0000 or lone
 * surrogates. Immutable.
 */
public record Operation(String id) {
  public static final int MAX_LENGTH = 100;

  /** An AI-powered change: every chat message uses credits, metered by tokens. */
  public static final Operation AI_CHAT_MESSAGE = new Operation("ai-chat-message");
  /** A plan-mode message: the AI plans before building; cheaper per token. */
  public static final Operation PLAN_MODE_MESSAGE = new Operation("plan-mode-message");
  public static final Operation GENERATE_IMAGE = new Operation("generate-image");
  public static final Operation CONNECT_INTEGRATION = new Operation("connect-integration");
  /** Live apps keep working for all their users, at any balance. */
  public static final Operation SERVE_LIVE_APP = new Operation("serve-live-app");
  public static final Operation PUBLISH_UPDATE = new Operation("publish-update");
  public static final Operation VIEW_DATA = new Operation("view-data");
  public static final Operation EDIT_DATA = new Operation("edit-data");
  public static final Operation EXPORT_DATA = new Operation("export-data");
  public static final Operation SHARE_APP = new Operation("share-app");

  public Operation {
    Checks.text(id, "operation id", MAX_LENGTH);
    if (id.contains(",") || id.contains("\n") || id.contains("\"")) {
      throw new InvalidRequestException("operation id", id,
          "operation id '" + id + "' must not contain commas, quotes or line breaks");
    }
  }

  public static Operation of(String id) {
    return new Operation(id);
  }

  @Override
  public String toString() {
    return id;
  }
}
