package dev.anomalystream.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the page and its charts write numbers: the same figure reads the same everywhere. */
final class Format {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private Format() {}

  /** To the minute, in UTC, e.g. "2026-11-23 10:15 UTC". */
  static String dateTime(Instant instant) {
    return DATE_TIME.format(instant);
  }

  /** Four decimals, or one with thousands separators from 1,000 on. */
  static String number(double value) {
    return Math.abs(value) >= 1000
        ? String.format(Locale.ROOT, "%,.1f", value)
        : String.format(Locale.ROOT, "%.4f", value);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  static String count(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  /** A summary table value: floating-point as {@link #number}, integers as {@link #count}. */
  static String summaryValue(Object value) {
    if (value instanceof Double || value instanceof Float) {
      return number(((Number) value).doubleValue());
    }
    if (value instanceof Integer || value instanceof Long) {
      return count(((Number) value).longValue());
    }
    return String.valueOf(value);
  }
}
