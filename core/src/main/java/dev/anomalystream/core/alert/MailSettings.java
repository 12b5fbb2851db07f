package dev.anomalystream.core.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.google.auto.value.AutoValue;
import dev.anomalystream.core.options.OptionValues;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;

/**
 * How alert emails leave: an SMTP server, or, with no host, {@code .eml} files in an outbox
 * directory. The password is never an option value (it would show in process lists and job graphs):
 * it is read where the mail is sent, from a Secret Manager secret (on Dataflow), a file or an
 * environment variable (local runs).
 *
 * <p>Built with {@link #builder()}: named setters instead of nine positional arguments, several of
 * them strings that would swap silently.
 */
@AutoValue
public abstract class MailSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The SMTP host, or null to write {@code .eml} files to {@link #outboxDirectory()}. */
  public abstract @Nullable String smtpHost();

  public abstract int smtpPort();

  public abstract Tls tls();

  /** The SMTP user, or null to send without authenticating. */
  public abstract @Nullable String user();

  /** The environment variable holding the SMTP password, or null. */
  public abstract @Nullable String passwordEnvironmentVariable();

  /** A file holding the SMTP password (wins over the environment variable), or null. */
  public abstract @Nullable String passwordFile();

  /**
   * The Secret Manager secret version holding the SMTP password ({@code
   * projects/P/secrets/S/versions/latest}; wins over the file and the variable), or null.
   */
  public abstract @Nullable String passwordSecret();

  public abstract String from();

  /** The recipients; empty is allowed only without an SMTP host. */
  public abstract List<String> to();

  public abstract @Nullable String outboxDirectory();

  /** No recipients until {@link Builder#setTo} names some. */
  public static Builder builder() {
    return new AutoValue_MailSettings.Builder().setTo(List.of());
  }

  /**
   * Builds {@link MailSettings}: port, TLS mode and sender are required; with an SMTP host, {@link
   * #build()} checks the port range and that there are recipients.
   */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setSmtpHost(@Nullable String smtpHost);

    public abstract Builder setSmtpPort(int smtpPort);

    public abstract Builder setTls(Tls tls);

    public abstract Builder setUser(@Nullable String user);

    public abstract Builder setPasswordEnvironmentVariable(@Nullable String variable);

    public abstract Builder setPasswordFile(@Nullable String passwordFile);

    public abstract Builder setPasswordSecret(@Nullable String secretVersion);

    public abstract Builder setFrom(String from);

    public abstract Builder setTo(List<String> to);

    public abstract Builder setOutboxDirectory(@Nullable String outboxDirectory);

    abstract List<String> to();

    abstract MailSettings autoBuild();

    public MailSettings build() {
      setTo(List.copyOf(to()));
      MailSettings settings = autoBuild();
      if (settings.passwordSecret() != null) {
        SecretReader.requireVersionName(settings.passwordSecret(), "the SMTP password secret");
      }
      if (!settings.usesSmtp()) {
        return settings;
      }
      if (settings.smtpPort() < 1 || settings.smtpPort() > 65_535) {
        throw new IllegalArgumentException(
            "SMTP port must be between 1 and 65535, was " + settings.smtpPort());
      }
      if (settings.to().isEmpty()) {
        throw new IllegalArgumentException(
            "an SMTP host is set but no alert recipient (--alertTo)");
      }
      return settings;
    }
  }

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
      return OptionValues.choice(Tls.class, value, "SMTP TLS mode");
    }
  }

  public boolean usesSmtp() {
    return smtpHost() != null && !smtpHost().isBlank();
  }

  /**
   * The SMTP password: from the file when one is named, else the environment variable, else null.
   */
  public String password(UnaryOperator<String> environment) throws IOException {
    String file = passwordFile();
    if (file != null && !file.isBlank()) {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    }
    String variable = passwordEnvironmentVariable();
    if (variable != null && !variable.isBlank()) {
      return environment.apply(variable);
    }
    return null;
  }
}
