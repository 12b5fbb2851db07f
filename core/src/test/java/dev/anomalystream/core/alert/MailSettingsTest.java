package dev.anomalystream.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailSettingsTest {
  private static MailSettings.Builder smtp() {
    return MailSettings.builder()
        .setSmtpHost("smtp.example.com")
        .setSmtpPort(587)
        .setTls(MailSettings.Tls.STARTTLS)
        .setFrom("detector@example.com")
        .setTo(List.of("oncall@example.com"));
  }

  @Test
  void refusesAnSmtpPortOutOfRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> smtp().setSmtpPort(0).build());
    assertEquals("SMTP port must be between 1 and 65535, was 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> smtp().setSmtpPort(65_536).build());
  }

  @Test
  void takesASecretVersionAndRefusesAnythingElseNamingTheFormat() {
    String latest = "projects/my-project/secrets/smtp-password/versions/latest";
    assertEquals(latest, smtp().setPasswordSecret(latest).build().passwordSecret());
    smtp().setPasswordSecret("projects/my-project/secrets/smtp-password/versions/3").build();

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> smtp().setPasswordSecret("projects/my-project/secrets/smtp-password").build());
    assertEquals(
        "the SMTP password secret must name a Secret Manager secret version,"
            + " projects/PROJECT/secrets/SECRET/versions/VERSION (a number or latest), was"
            + " 'projects/my-project/secrets/smtp-password'",
        e.getMessage());
  }

  @Test
  void refusesAnSmtpHostWithoutRecipients() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> smtp().setTo(List.of()).build());
    assertEquals("an SMTP host is set but no alert recipient (--alertTo)", e.getMessage());
  }

  @Test
  void anOutboxNeedsNeitherPortNorRecipients() {
    MailSettings outbox =
        MailSettings.builder()
            .setSmtpPort(0)
            .setTls(MailSettings.Tls.NONE)
            .setFrom("detector@example.com")
            .setOutboxDirectory("out/outbox")
            .build();
    assertFalse(outbox.usesSmtp());
    assertEquals(List.of(), outbox.to());
  }

  @Test
  void keepsItsOwnCopyOfTheRecipients() {
    List<String> recipients = new ArrayList<>(List.of("oncall@example.com"));
    MailSettings settings = smtp().setTo(recipients).build();
    recipients.add("someone-else@example.com");
    assertEquals(List.of("oncall@example.com"), settings.to());
  }

  @Test
  void refusesAMissingSender() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> MailSettings.builder().setSmtpPort(25).setTls(MailSettings.Tls.NONE).build());
    assertEquals("Missing required properties: from", e.getMessage());
  }
}
