package dev.creditgate;

import dev.creditgate.model.Operation;

/** The operation is not in the cost table; add it to the table the gate was built with. */
public final class UnknownOperationException extends CreditGateException {
  private static final long serialVersionUID = 1L;
  private final Operation operation;

  public UnknownOperationException(Operation operation) {
    super("operation '" + operation + "' is not in the cost table");
    this.operation = operation;
  }

  public Operation operation() {
    return operation;
  }
}
