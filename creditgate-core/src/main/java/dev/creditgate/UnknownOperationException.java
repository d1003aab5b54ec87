package dev.creditgate;

import dev.creditgate.model.Operation;

/** The operation is not in the cost table; add it to the table the gate was built with. */
public final class UnknownOperationException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  /** The operation the cost table does not list. */
  private final Operation operation;

  /**
   * The cost table does not list {@code operation}.
   *
   * @param operation the operation a call named
   */
  public UnknownOperationException(Operation operation) {
    super("operation '" + operation + "' is not in the cost table");
    this.operation = operation;
  }

  /**
   * The operation the cost table does not list.
   *
   * @return the operation the failing call named
   */
  public Operation operation() {
    return operation;
  }
}
