package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.alert.MailSettings;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The detector's flags as Beam parses them, in the spellings scripts and templates pass. */
class DetectOptionsTest {
  private static DetectOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(DetectOptions.class);
  }

  @Test
  void mailSettingsTakeTheTlsModeInLowercaseAndRecipientsAsAList() {
    MailSettings mail =
        DetectPipeline.mailSettings(
            parse(
                "--subscription=detector",
                "--model=out/models",
                "--smtpHost=smtp.example.com",
                "--smtpTls=ssl",
                "--alertTo=oncall@example.com, ops@example.com"));
    assertEquals(MailSettings.Tls.SSL, mail.tls());
    assertEquals(List.of("oncall@example.com", "ops@example.com"), mail.to());
    assertTrue(mail.usesSmtp());
  }

  @Test
  void withoutSmtpFlagsDigestsGoToTheOutboxOverStarttlsDefaults() {
    MailSettings mail =
        DetectPipeline.mailSettings(
            parse("--topic=tweets", "--model=out/models", "--smtpHost=", "--alertTo="));
    assertFalse(mail.usesSmtp());
    assertEquals(MailSettings.Tls.STARTTLS, mail.tls());
    assertEquals(List.of(), mail.to());
  }

  @Test
  void thePasswordSecretReachesTheMailSettingsAndAMalformedOneStopsTheLaunch() {
    String secret = "projects/my-project/secrets/smtp/versions/latest";
    MailSettings mail =
        DetectPipeline.mailSettings(
            parse(
                "--subscription=detector",
                "--model=out/models",
                "--smtpHost=smtp.example.com",
                "--alertTo=oncall@example.com",
                "--smtpPasswordSecret=" + secret));
    assertEquals(secret, mail.passwordSecret());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DetectPipeline.mailSettings(
                    parse(
                        "--subscription=detector",
                        "--model=out/models",
                        "--smtpPasswordSecret=my-project/smtp")));
    assertTrue(e.getMessage().contains("projects/PROJECT/secrets/SECRET/versions"), e.getMessage());
  }

  @Test
  void aSubscriptionOrATopicIsRequired() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parse("--model=out/models"));
    assertTrue(e.getMessage().contains("getSubscription"), e.getMessage());
  }

  @Test
  void aMisspeltTlsModeIsAnErrorNamingTheChoices() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("--subscription=detector", "--model=out/models", "--smtpTls=tls"));
    assertTrue(e.getMessage().contains("none, starttls or ssl"), e.getMessage());
  }
}
