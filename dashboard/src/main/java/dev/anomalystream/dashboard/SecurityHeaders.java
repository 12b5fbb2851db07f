package dev.anomalystream.dashboard;

import com.sun.net.httpserver.Headers;

/**
 * Headers on every response. The policy allows scripts and styles from this server only, so even a
 * message text that slipped into the page as markup could run nothing; the page has no inline
 * script or style for the same reason.
 */
final class SecurityHeaders {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:";

  private SecurityHeaders() {}

  static void addTo(Headers headers) {
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
  }
}
