package dev.anomalystream.core.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How alert emails leave: an SMTP server, or, with no host, {@code .eml} files in an outbox
 * directory. The password is never an option value (it would show in process lists and job graphs):
 * it is read at send time from an environment variable or a file.
 */
public record MailSettings(
    String smtpHost,
    int smtpPort,
    Tls tls,
    String user,
    String passwordEnvironmentVariable,
    String passwordFile,
    String from,
    List<String> to,
    String outboxDirectory)
    implements Serializable {

  /** How the SMTP connection is secured. */
  public enum Tls {
    NONE,
    STARTTLS,
    SSL;

    /**
     * Parses none, starttls or ssl in any case; also how Beam options read the mode. The message
     * has no cause: Jackson reports the root cause's message, which would hide the choices.
     */
    @JsonCreator
    public static Tls parse(String value) {
      for (Tls tls : values()) {
        if (tls.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
          return tls;
        }
      }
      throw new IllegalArgumentException(
          "SMTP TLS mode must be none, starttls or ssl, was '" + value + "'");
    }
  }

  public MailSettings {
    to = to == null ? List.of() : List.copyOf(to);
    if (smtpHost != null && !smtpHost.isBlank() && to.isEmpty()) {
      throw new IllegalArgumentException("an SMTP host is set but no alert recipient (--alertTo)");
    }
  }

  public boolean usesSmtp() {
    return smtpHost != null && !smtpHost.isBlank();
  }

  /**
   * The SMTP password: from the file when one is named, else the environment variable, else null.
   */
  public String password(UnaryOperator<String> environment) throws IOException {
    if (passwordFile != null && !passwordFile.isBlank()) {
      return Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
    }
    if (passwordEnvironmentVariable != null && !passwordEnvironmentVariable.isBlank()) {
      return environment.apply(passwordEnvironmentVariable);
    }
    return null;
  }
}
