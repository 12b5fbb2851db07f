package dev.anomalystream.core.alert;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers digests: over SMTP (Jakarta Mail, retried with backoff), or as {@code .eml} files in an
 * outbox directory when no SMTP host is configured. A failed delivery surfaces as an exception
 * after the last attempt; the caller counts it and carries on, so mail trouble never stops the
 * detector.
 */
public final class DigestMailer {
  /** Waits between attempts; a test passes one that does not sleep. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private static final String TIMEOUT_MILLIS = "10000";

  private static final Logger LOG = LoggerFactory.getLogger(DigestMailer.class);

  private final MailSettings settings;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final UnaryOperator<String> environment;
  private final SecretReader.Factory secrets;
  private String secretPassword;

  /**
   * Made in the alert DoFn's {@code @Setup}, which is when a password in Secret Manager is read:
   * once per DoFn instance, not per email.
   */
  public DigestMailer(MailSettings settings, Backoff backoff, SecretReader.Factory secrets) {
    this(settings, backoff, d -> Thread.sleep(d.toMillis()), System::getenv, secrets);
  }

  DigestMailer(
      MailSettings settings,
      Backoff backoff,
      Sleeper sleeper,
      UnaryOperator<String> environment,
      SecretReader.Factory secrets) {
    this.settings = settings;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.environment = environment;
    this.secrets = secrets;
    if (settings.usesSmtp() && settings.user() != null && settings.passwordSecret() != null) {
      try {
        secretPassword();
      } catch (IOException e) {
        // not thrown: a failing @Setup would stall the alert stage; each send retries the read
        // and, while it fails, dead-letters its digest with this reason
        LOG.error("{}; alert emails fail until it can be read", e.getMessage());
      }
    }
  }

  private String secretPassword() throws IOException {
    if (secretPassword == null) {
      try (SecretReader reader = secrets.create()) {
        secretPassword = reader.read(settings.passwordSecret());
      } catch (IOException | RuntimeException e) {
        throw new IOException(
            "cannot read the SMTP password from Secret Manager secret "
                + settings.passwordSecret()
                + " (the workers' service account needs roles/secretmanager.secretAccessor on it): "
                + e.getMessage(),
            e);
      }
    }
    return secretPassword;
  }

  /** Sends or files the digest; returns the number of SMTP attempts it took (0 for the outbox). */
  public int deliver(AlertDigest digest)
      throws MessagingException, IOException, InterruptedException {
    Session session = session();
    MimeMessage message = toMessage(session, digest);
    if (!settings.usesSmtp()) {
      writeToOutbox(message);
      return 0;
    }
    MessagingException last = null;
    for (int attempt = 1; attempt <= backoff.attempts(); attempt++) {
      if (attempt > 1) {
        sleeper.sleep(backoff.delayBefore(attempt - 1));
      }
      try {
        Transport.send(message);
        return attempt;
      } catch (MessagingException e) {
        last = e;
      }
    }
    throw new MessagingException(
        "SMTP delivery to "
            + settings.smtpHost()
            + ":"
            + settings.smtpPort()
            + " failed "
            + backoff.attempts()
            + " times: "
            + last.getMessage(),
        last);
  }

  private Session session() throws IOException {
    Properties props = new Properties();
    if (!settings.usesSmtp()) {
      return Session.getInstance(props);
    }
    String protocol = settings.tls() == MailSettings.Tls.SSL ? "smtps" : "smtp";
    props.put("mail.transport.protocol", protocol);
    props.put("mail." + protocol + ".host", settings.smtpHost());
    props.put("mail." + protocol + ".port", Integer.toString(settings.smtpPort()));
    props.put("mail." + protocol + ".connectiontimeout", TIMEOUT_MILLIS);
    props.put("mail." + protocol + ".timeout", TIMEOUT_MILLIS);
    props.put("mail." + protocol + ".writetimeout", TIMEOUT_MILLIS);
    if (settings.tls() == MailSettings.Tls.STARTTLS) {
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
    }
    String user = settings.user();
    if (user == null || user.isBlank()) {
      return Session.getInstance(props);
    }
    props.put("mail." + protocol + ".auth", "true");
    String password =
        settings.passwordSecret() != null ? secretPassword() : settings.password(environment);
    if (password == null) {
      throw new IOException(
          "SMTP user "
              + user
              + " has no password: set the environment variable "
              + settings.passwordEnvironmentVariable()
              + ", or give a password file or secret");
    }
    return Session.getInstance(
        props,
        new Authenticator() {
          @Override
          protected PasswordAuthentication getPasswordAuthentication() {
            return new PasswordAuthentication(user, password);
          }
        });
  }

  private MimeMessage toMessage(Session session, AlertDigest digest) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(settings.from()));
    for (String recipient : settings.to()) {
      message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
    }
    message.setSubject(digest.subject(), "UTF-8");
    message.setText(digest.body(), "UTF-8");
    message.setSentDate(new Date());
    message.saveChanges();
    return message;
  }

  private void writeToOutbox(MimeMessage message) throws IOException, MessagingException {
    Path outbox = Path.of(settings.outboxDirectory());
    Files.createDirectories(outbox);
    String name =
        "digest-"
            + Instant.now().toString().replace(':', '-')
            + "-"
            + Integer.toHexString(message.getMessageID().hashCode())
            + ".eml";
    // written aside and moved, so a reader of the outbox never sees half an email
    Path partial = Files.createTempFile(outbox, ".digest", ".partial");
    try (OutputStream out = Files.newOutputStream(partial)) {
      message.writeTo(out);
    }
    Files.move(partial, outbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }
}
