package dev.anomalystream.report;

/**
 * Escaping for the texts the chart classes write into their SVG (content and attribute values): the
 * page template inserts the SVG unescaped and escapes only its own values.
 */
final class Html {
  private Html() {}

  /**
   * Escapes the five characters that can end a text or attribute context, so a message such as
   * {@code </title><script>} stays text. Control characters other than tab and line breaks are
   * replaced, since HTML parsers reject or silently alter them.
   */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> {
          boolean control = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
          escaped.append(control ? '\uFFFD' : c);
        }
      }
    }
    return escaped.toString();
  }
}
