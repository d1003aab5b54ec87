package dev.creditgate.testkit;

import dev.creditgate.CreditGateException;
import java.util.function.Consumer;

/**
 * What {@link GateModel#expect} says a call must do. Only {@link Done} commits: in every other case
 * the gate must write nothing (not the wallet, not the ledger, not the key's record) and publish no
 * event.
 */
public sealed interface Expectation {

  /** The key was recorded with an equal call: the first result again, nothing changed. */
  record Replay() implements Expectation {}

  /** The key was recorded with another call: {@link dev.creditgate.IdempotencyConflictException}. */
  record Conflict() implements Expectation {}

  /**
   * Bad input, or a hold that is not open: this typed error, nothing changed.
   *
   * @param type the exception the gate must throw
   */
  record Fails(Class<? extends CreditGateException> type) implements Expectation {}

  /**
   * A denied charge or reserve: nothing written, the key not recorded.
   *
   * @param cost the cost the decision must name, in thousandths
   * @param availableBefore the available credits it must name, in thousandths; the shortfall is the
   *     difference
   */
  record Denied(long cost, long availableBefore) implements Expectation {}

  /**
   * The call commits. The model has already applied it.
   *
   * @param check checks the gate's result against what the model computed (throws an
   *     {@link AssertionError} that names the fields that differ)
   */
  record Done(Consumer<Object> check) implements Expectation {
    /**
     * Checks the gate's result.
     *
     * @param result what the gate returned
     * @throws AssertionError if it is not the result the model computed
     */
    public void verify(Object result) {
      check.accept(result);
    }
  }
}
