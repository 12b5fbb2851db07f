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

  private DigestMailer mailer(String host, int port, String user, Map<String, String> env) {
    MailSettings settings =
        MailSettings.builder()
            .setSmtpHost(host)
            .setSmtpPort(port)
            .setTls(MailSettings.Tls.NONE)
            .setUser(user)
            .setPasswordEnvironmentVariable("SMTP_PASSWORD")
            .setFrom("detector@example.com")
            .setTo(List.of("oncall@example.com"))
            .setOutboxDirectory(outbox.toString())
            .build();
    return new DigestMailer(
        settings, new Backoff(3, Duration.ofSeconds(1), 2.0), sleeps::add, env::get);
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
