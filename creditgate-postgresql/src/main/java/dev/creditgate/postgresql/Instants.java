package dev.creditgate.postgresql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Instants in two columns: a {@code timestamptz} (which holds whole microseconds, and is what
 * queries and people read) and the nanoseconds below the microsecond, so that every
 * {@link Instant} reads back exactly. Truncation (not the driver's rounding) keeps the
 * {@code timestamptz} column ordered like the instants, which range queries rely on.
 */
final class Instants {
  private Instants() {}

  // PostgreSQL's timestamptz range is 4713 BC to 294276 AD; query bounds are clamped into it.
  private static final Instant FIRST = Instant.parse("-4712-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("+294275-12-31T00:00:00Z");
  // 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in seconds of the epoch: the years text() spells by hand.
  private static final long FIRST_FOUR_DIGIT_YEAR = -62_135_596_800L;
  private static final long FIRST_FIVE_DIGIT_YEAR = 253_402_300_800L;

  // PostgreSQL's input syntax for an array element, in UTC. The driver formats a lone
  // OffsetDateTime parameter itself, but array elements only through toString(), whose ISO years
  // (0 for 1 BC, a sign beyond 9999) PostgreSQL reads differently: so the era is spelled out.
  private static final DateTimeFormatter ELEMENT = new DateTimeFormatterBuilder()
      .appendValue(ChronoField.YEAR_OF_ERA, 4, 9, SignStyle.NOT_NEGATIVE)
      .appendPattern("-MM-dd HH:mm:ss.SSSSSS'+00' G")
      .toFormatter(Locale.ROOT);

  static Instant truncate(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  /** Binds {@code at} to parameters {@code index} (timestamptz) and {@code index + 1} (nanos). */
  static void bind(PreparedStatement ps, int index, Instant at) throws SQLException {
    Instant micros = truncate(at);
    ps.setObject(index, OffsetDateTime.ofInstant(micros, ZoneOffset.UTC));
    ps.setInt(index + 1, at.getNano() - micros.getNano());
  }

  /**
   * Like {@link #bind}, for a parameter the statement casts itself ({@code ?::timestamptz}): binds
   * {@code at}'s text, as PostgreSQL reads it, in place of a driver's timestamp, which the driver
   * formats through a calendar of its own it makes for each statement.
   */
  static void bindText(PreparedStatement ps, int index, Instant at) throws SQLException {
    ps.setString(index, text(at));
    ps.setInt(index + 1, nanosBelowMicros(at));
  }

  /**
   * {@code at}, truncated to the microsecond, in PostgreSQL's input syntax in UTC: as
   * {@link #element}, spelled out by hand for the years 1 to 9999 (which need no era).
   */
  static String text(Instant at) {
    long seconds = at.getEpochSecond();
    if (seconds < FIRST_FOUR_DIGIT_YEAR || seconds >= FIRST_FIVE_DIGIT_YEAR) {
      return element(at);
    }
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    LocalDate date = LocalDate.ofEpochDay(days);
    char[] t = new char[29];
    digits(t, 0, date.getYear(), 4);
    t[4] = '-';
    digits(t, 5, date.getMonthValue(), 2);
    t[7] = '-';
    digits(t, 8, date.getDayOfMonth(), 2);
    t[10] = ' ';
    digits(t, 11, secondOfDay / 3600, 2);
    t[13] = ':';
    digits(t, 14, secondOfDay / 60 % 60, 2);
    t[16] = ':';
    digits(t, 17, secondOfDay % 60, 2);
    t[19] = '.';
    digits(t, 20, at.getNano() / 1000, 6);
    t[26] = '+';
    t[27] = '0';
    t[28] = '0';
    return new String(t);
  }

  /** Writes {@code value} as {@code width} decimal digits, zero-padded, into {@code t} at {@code from}. */
  private static void digits(char[] t, int from, int value, int width) {
    for (int i = from + width - 1; i >= from; i--) {
      t[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** Like {@link #bind}, with a null timestamptz and 0 nanos for {@code null}. */
  static void bindNullable(PreparedStatement ps, int index, Instant at) throws SQLException {
    if (at == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
      ps.setInt(index + 1, 0);
    } else {
      bind(ps, index, at);
    }
  }

  /**
   * Like {@link #bind}, for many instants at once: a {@code timestamptz[]} to parameter
   * {@code index} and an {@code int4[]} of the nanos to {@code index + 1}, element for element.
   */
  static void bindArrays(Connection c, PreparedStatement ps, int index, List<Instant> instants)
      throws SQLException {
    String[] micros = new String[instants.size()];
    Integer[] nanos = new Integer[instants.size()];
    for (int i = 0; i < micros.length; i++) {
      Instant at = instants.get(i);
      micros[i] = element(at);
      nanos[i] = nanosBelowMicros(at);
    }
    ps.setArray(index, c.createArrayOf("timestamptz", micros));
    ps.setArray(index + 1, c.createArrayOf("int4", nanos));
  }

  /** {@code at}, truncated to the microsecond, as an element of a {@code timestamptz[]} parameter. */
  static String element(Instant at) {
    return ELEMENT.format(OffsetDateTime.ofInstant(truncate(at), ZoneOffset.UTC));
  }

  /** The nanoseconds of {@code at} below its microsecond: what the second column keeps. */
  static int nanosBelowMicros(Instant at) {
    return at.getNano() - truncate(at).getNano();
  }

  /**
   * Binds the query bound {@code at}, truncated to the microsecond and clamped into PostgreSQL's
   * range, to the timestamptz parameter {@code index}.
   */
  static void bindMicros(PreparedStatement ps, int index, Instant at) throws SQLException {
    Instant bound = at.isBefore(FIRST) ? FIRST : at.isAfter(LAST) ? LAST : truncate(at);
    ps.setObject(index, OffsetDateTime.ofInstant(bound, ZoneOffset.UTC));
  }

  /** Reads the instant in columns {@code index} (timestamptz) and {@code index + 1} (nanos). */
  static Instant read(ResultSet rs, int index) throws SQLException {
    OffsetDateTime time = rs.getObject(index, OffsetDateTime.class);
    int nanos = rs.getInt(index + 1);
    if (nanos < 0 || nanos > 999) {
      throw Failures.corruptRow("column " + rs.getMetaData().getColumnName(index + 1) + " holds " + nanos
          + " nanoseconds below the microsecond, outside 0..999: the store never writes it");
    }
    return time.toInstant().plusNanos(nanos);
  }
}
