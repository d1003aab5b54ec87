package dev.creditgate.model;

import dev.creditgate.InvalidRequestException;
import dev.creditgate.UnknownOperationException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What each operation costs: data, built in code or loaded from a properties file the host ships.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * CostTable table = CostTable.defaults().toBuilder()
 *     .fixed(Operation.GENERATE_IMAGE, Credits.of(3))
 *     .free(Operation.of("comment"))
 *     .build();
 * }</pre>
 *
 * <p>The properties form has one line per operation:
 * <pre>
 * ai-chat-message = metered 0.1 + 0.1 per 1000
 * generate-image  = 2
 * publish-update  = free
 * </pre>
 */
public final class CostTable {

  private final Map<Operation, Cost> costs;

  private CostTable(Map<Operation, Cost> costs) {
    this.costs = Collections.unmodifiableMap(new LinkedHashMap<>(costs));
  }

  /**
   * The help article's operations. A Small pack (100 credits) buys about ten features of roughly
   * 100k tokens each, or a few hundred small tweaks of about 2k tokens (0.3 credits each).
   *
   * @return a table pricing every {@link Operation} constant: chat messages metered at 0.1 + 0.1
   *     per 1,000 tokens, plan-mode messages at 0.05 + 0.05 per 1,000, images at 2 credits,
   *     integrations at 5, and the rest free
   */
  public static CostTable defaults() {
    return builder()
        .metered(Operation.AI_CHAT_MESSAGE, Credits.parse("0.1"), Credits.parse("0.1"), 1000)
        .metered(Operation.PLAN_MODE_MESSAGE, Credits.parse("0.05"), Credits.parse("0.05"), 1000)
        .fixed(Operation.GENERATE_IMAGE, Credits.of(2))
        .fixed(Operation.CONNECT_INTEGRATION, Credits.of(5))
        .free(Operation.SERVE_LIVE_APP)
        .free(Operation.PUBLISH_UPDATE)
        .free(Operation.VIEW_DATA)
        .free(Operation.EDIT_DATA)
        .free(Operation.EXPORT_DATA)
        .free(Operation.SHARE_APP)
        .build();
  }

  /**
   * An empty builder.
   *
   * @return a builder with no operations
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a table from properties text (see the class comment).
   *
   * @param reader the properties text: one {@code operation = cost} line per operation, the cost
   *     {@code free}, a fixed price per unit ({@code 2}), or {@code metered <base> + <rate> per
   *     <units>}; the caller closes it
   * @return the table, its operations in the order of their names
   * @throws InvalidRequestException naming the line that does not parse
   * @throws UncheckedIOException if {@code reader} fails
   */
  public static CostTable fromProperties(Reader reader) {
    Checks.nonNull(reader, "reader");
    Properties properties = new Properties();
    try {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("reader", null, "cost table is not valid properties text: " + e.getMessage());
    }
    Builder builder = builder();
    properties.stringPropertyNames().stream().sorted().forEach(name ->
        builder.cost(Operation.of(name.trim()), parseCost(name, properties.getProperty(name))));
    return builder.build();
  }

  private static Cost parseCost(String name, String text) {
    try {
      return Cost.parse(text);
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException("cost of operation '" + name + "'", text,
          "operation '" + name + "': " + e.getMessage());
    }
  }

  /**
   * The cost of an operation.
   *
   * @param operation the operation to price
   * @return its cost
   * @throws InvalidRequestException if {@code operation} is null
   * @throws UnknownOperationException if the table does not list it
   */
  public Cost costOf(Operation operation) {
    Checks.nonNull(operation, "operation");
    Cost cost = costs.get(operation);
    if (cost == null) {
      throw new UnknownOperationException(operation);
    }
    return cost;
  }

  /**
   * Every operation and its cost, in the order they were added.
   *
   * @return an unmodifiable map; an operation replaced later keeps its first position
   */
  public Map<Operation, Cost> costs() {
    return costs;
  }

  /**
   * A builder that starts from this table, to change some costs and keep the rest.
   *
   * @return a builder holding every operation of this table; building it leaves this table as it
   *     is
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.costs.putAll(costs);
    return builder;
  }

  @Override
  public String toString() {
    return "CostTable" + costs;
  }

  /** Builds a {@link CostTable}; a later entry for the same operation replaces an earlier one. */
  public static final class Builder {
    private final Map<Operation, Cost> costs = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Prices {@code operation} at {@code cost}.
     *
     * @param operation the operation
     * @param cost its cost
     * @return this builder
     * @throws InvalidRequestException if either is null
     */
    public Builder cost(Operation operation, Cost cost) {
      costs.put(
          Checks.nonNull(operation, "operation"),
          Checks.nonNull(cost, "cost"));
      return this;
    }

    /**
     * Makes {@code operation} free: allowed at any balance, never charged.
     *
     * @param operation the operation
     * @return this builder
     * @throws InvalidRequestException if {@code operation} is null
     */
    public Builder free(Operation operation) {
      return cost(operation, Cost.free());
    }

    /**
     * Prices {@code operation} at {@code each} per unit ({@link Cost#fixed}).
     *
     * @param operation the operation
     * @param each the credits one unit costs, positive
     * @return this builder
     * @throws InvalidRequestException if either is null or {@code each} is not positive
     */
    public Builder fixed(Operation operation, Credits each) {
      return cost(operation, Cost.fixed(each));
    }

    /**
     * Prices {@code operation} at {@code base} plus {@code perBlock} per {@code blockSize} units
     * ({@link Cost#metered}).
     *
     * @param operation the operation
     * @param base the credits every use costs, zero or more
     * @param perBlock the credits each block costs, positive
     * @param blockSize how many units (tokens) a block has, positive
     * @return this builder
     * @throws InvalidRequestException naming the value if one is null or out of range
     */
    public Builder metered(Operation operation, Credits base, Credits perBlock, long blockSize) {
      return cost(operation, Cost.metered(base, perBlock, blockSize));
    }

    /**
     * The table. The builder may be used on; later changes do not reach the table built.
     *
     * @return the table, possibly empty (every operation then throws
     *     {@link UnknownOperationException})
     */
    public CostTable build() {
      return new CostTable(costs);
    }
  }
}
