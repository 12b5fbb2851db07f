package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.anomalystream.core.alert.Backoff;
import dev.anomalystream.core.alert.MailSettings;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class AlertOnAnomaliesSettingsTest {
  private static AlertOnAnomalies.Settings.Builder valid() {
    return AlertOnAnomalies.Settings.builder()
        .setWindow(Duration.standardSeconds(60))
        .setMaxEmailsPerHour(20)
        .setMaxAnomaliesPerDigest(50)
        .setMail(
            MailSettings.builder()
                .setSmtpPort(587)
                .setTls(MailSettings.Tls.NONE)
                .setFrom("detector@example.com")
                .setOutboxDirectory("out/outbox")
                .build())
        .setRetries(new Backoff(4, java.time.Duration.ofSeconds(1), 2.0));
  }

  private static String refusal(AlertOnAnomalies.Settings.Builder builder) {
    return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
  }

  @Test
  void keepsEachNumberUnderItsOwnName() {
    AlertOnAnomalies.Settings settings =
        valid().setMaxEmailsPerHour(3).setMaxAnomaliesPerDigest(7).build();
    assertEquals(3, settings.maxEmailsPerHour());
    assertEquals(7, settings.maxAnomaliesPerDigest());
  }

  @Test
  void refusesCapsBelowOneNamingTheCap() {
    assertEquals(
        "maxEmailsPerHour must be at least 1, was 0", refusal(valid().setMaxEmailsPerHour(0)));
    assertEquals(
        "maxAnomaliesPerDigest must be at least 1, was -2",
        refusal(valid().setMaxAnomaliesPerDigest(-2)));
  }

  @Test
  void refusesAnEmptyWindow() {
    assertEquals(
        "the alert window must be positive, was PT0S", refusal(valid().setWindow(Duration.ZERO)));
  }

  @Test
  void refusesAMissingField() {
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class,
            () -> AlertOnAnomalies.Settings.builder().setMaxEmailsPerHour(1).build());
    assertEquals(
        "Missing required properties: window maxAnomaliesPerDigest mail retries",
        missing.getMessage());
  }
}
