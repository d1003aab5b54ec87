package dev.creditgate;

import dev.creditgate.model.Credits;

/** Overflow-checked arithmetic on amounts in thousandths, for loops that must not allocate per step. */
final class Thousandths {
  private Thousandths() {}

  static long add(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      String sum = Credits.ofThousandths(a) + " + " + Credits.ofThousandths(b);
      throw new CreditOverflowException(sum, sum + " overflows");
    }
  }
}
