package dev.anomalystream.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The mailer against GreenMail, a real SMTP server in-process. */
class DigestMailerTest {
  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path outbox;
  private final List<Duration> sleeps = new ArrayList<>();
  private final AlertDigest digest =
      AlertDigest.compose(
          List.of(AlertDigestTest.anomaly("q1", "how many moons does mars have", 0.93)),
          AlertDigestTest.T0,
          AlertDigestTest.T0.plusSeconds(60),
          10);

  private static final String SECRET = "projects/p/secrets/smtp/versions/latest";

  /** What the fake Secret Manager holds; a missing name fails as a missing permission would. */
  private final Map<String, String> secretStore = new HashMap<>();

  private int secretReads;

  private MailSettings.Builder settings(String host, int port, String user) {
    return MailSettings.builder()
        .setSmtpHost(host)
        .setSmtpPort(port)
        .setTls(MailSettings.Tls.NONE)
        .setUser(user)
        .setPasswordEnvironmentVariable("SMTP_PASSWORD")
        .setFrom("detector@example.com")
        .setTo(List.of("oncall@example.com"))
        .setOutboxDirectory(outbox.toString());
  }

  private DigestMailer mailer(MailSettings settings, Map<String, String> env) {
    SecretReader.Factory secrets =
        () ->
            name -> {
              secretReads++;
              String value = secretStore.get(name);
              if (value == null) {
                throw new java.io.IOException("PERMISSION_DENIED on " + name);
              }
              return value;
            };
    return new DigestMailer(
        settings, new Backoff(3, Duration.ofSeconds(1), 2.0), sleeps::add, env::get, secrets);
  }

  private DigestMailer mailer(String host, int port, String user, Map<String, String> env) {
    return mailer(settings(host, port, user).build(), env);
  }

  @Test
  void sendsTheDigestOverSmtp() throws Exception {
    int attempts = mailer("127.0.0.1", SMTP.getSmtp().getPort(), null, Map.of()).deliver(digest);
    assertEquals(1, attempts);
    MimeMessage[] received = SMTP.getReceivedMessages();
    assertEquals(1, received.length);
    assertEquals(digest.subject(), received[0].getSubject());
    assertEquals("oncall@example.com", received[0].getAllRecipients()[0].toString());
    assertTrue(GreenMailUtil.getBody(received[0]).contains("how many moons does mars have"));
  }

  @Test
  void authenticatesWithThePasswordFromTheEnvironment() throws Exception {
    SMTP.setUser("alerts", "s3cret");
    mailer("127.0.0.1", SMTP.getSmtp().getPort(), "alerts", Map.of("SMTP_PASSWORD", "s3cret"))
        .deliver(digest);
    assertEquals(1, SMTP.getReceivedMessages().length);
    Exception missing =
        assertThrows(
            java.io.IOException.class,
            () ->
                mailer("127.0.0.1", SMTP.getSmtp().getPort(), "alerts", Map.of()).deliver(digest));
    assertTrue(missing.getMessage().contains("SMTP_PASSWORD"), missing.getMessage());
  }

  @Test
  void readsThePasswordFromTheSecretOnceAtSetUpAndPrefersItToTheEnvironment() throws Exception {
    SMTP.setUser("alerts", "s3cret");
    secretStore.put(SECRET, "s3cret");
    DigestMailer mailer =
        mailer(
            settings("127.0.0.1", SMTP.getSmtp().getPort(), "alerts")
                .setPasswordSecret(SECRET)
                .build(),
            Map.of("SMTP_PASSWORD", "wrong"));
    assertEquals(1, secretReads, "read when the mailer is made, in the DoFn's @Setup");

    mailer.deliver(digest);
    mailer.deliver(digest);

    assertEquals(2, SMTP.getReceivedMessages().length);
    assertEquals(1, secretReads, "not once per email");
  }

  @Test
  void anUnreadableSecretFailsEachDeliveryClearlyUntilItCanBeRead() throws Exception {
    SMTP.setUser("alerts", "s3cret");
    DigestMailer mailer =
        mailer(
            settings("127.0.0.1", SMTP.getSmtp().getPort(), "alerts")
                .setPasswordSecret(SECRET)
                .build(),
            Map.of());

    Exception denied = assertThrows(java.io.IOException.class, () -> mailer.deliver(digest));
    assertTrue(denied.getMessage().contains(SECRET), denied.getMessage());
    assertTrue(
        denied.getMessage().contains("roles/secretmanager.secretAccessor"), denied.getMessage());

    secretStore.put(SECRET, "s3cret"); // the permission granted: no restart needed
    mailer.deliver(digest);
    assertEquals(1, SMTP.getReceivedMessages().length);
  }

  @Test
  void retriesWithBackoffThenFailsClearly() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    MessagingException e =
        assertThrows(
            MessagingException.class,
            () -> mailer("127.0.0.1", closedPort, null, Map.of()).deliver(digest));
    assertTrue(e.getMessage().contains("failed 3 times"), e.getMessage());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps);
  }

  @Test
  void withoutSmtpWritesAnEmlFileToTheOutbox() throws Exception {
    assertEquals(0, mailer(null, 0, null, Map.of()).deliver(digest));
    List<Path> files;
    try (var list = Files.list(outbox)) {
      files = list.toList();
    }
    assertEquals(1, files.size());
    assertTrue(files.get(0).getFileName().toString().endsWith(".eml"));
    String eml = Files.readString(files.get(0));
    assertTrue(eml.contains("Subject: [anomaly-stream] 1 anomalous message"), eml);
    assertTrue(eml.contains("how many moons does mars have"));
  }
}
