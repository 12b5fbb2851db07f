package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.alert.MailSettings;
import dev.anomalystream.core.options.MessageBus;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The detector's flags as Beam parses them, in the spellings scripts and templates pass. */
class DetectOptionsTest {
  private static DetectOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(DetectOptions.class);
  }

  /** The resolved --batchShards of a detector reading a subscription with these flags. */
  private static int shardsWith(String... flags) {
    String[] args = new String[flags.length + 2];
    args[0] = "--subscription=s";
    args[1] = "--model=m";
    System.arraycopy(flags, 0, args, 2, flags.length);
    return DetectOptions.batchShards(parse(args));
  }

  @Test
  void batchShardsFollowFlinksSubtasksInThisJvmAndStayFourElsewhere() {
    assertEquals(4, shardsWith());
    assertEquals(
        1,
        shardsWith("--runner=FlinkRunner", "--parallelism=1"),
        "one subtask embeds one key's batches, never four smaller ones in a row");
    assertEquals(3, shardsWith("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=3"));
    assertEquals(
        4,
        shardsWith(
            "--runner=FlinkRunner", "--flinkMaster=flink-jobmanager:8081", "--parallelism=8"),
        "a remote cluster's subtasks are not this JVM's");
    assertEquals(2, shardsWith("--runner=FlinkRunner", "--batchShards=2"));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> shardsWith("--batchShards=-1"));
    assertTrue(negative.getMessage().contains("--batchShards"), negative.getMessage());
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

  private static IllegalArgumentException invalid(String... args) {
    DetectOptions options = parse(args);
    return assertThrows(IllegalArgumentException.class, () -> LaunchChecks.validate(options));
  }

  @Test
  void pubsubIsTheDefaultSourceAndNeedsASubscriptionOrATopic() {
    DetectOptions options = parse("--subscription=detector", "--model=out/models");
    assertEquals(MessageBus.PUBSUB, options.getSource());
    LaunchChecks.validate(options);
    LaunchChecks.validate(parse("--topic=tweets", "--model=out/models"));

    IllegalArgumentException e = invalid("--model=out/models");
    assertEquals(
        "--source=pubsub needs --subscription (or --topic, for a subscription made per run)",
        e.getMessage());
    assertTrue(
        invalid("--topic=tweets", "--inputTopic=tweets", "--model=out/models")
            .getMessage()
            .startsWith("--inputTopic is the Kafka topic"));
  }

  @Test
  void groupsAreNotCombinedWithOnlineLearning() {
    LaunchChecks.validate(
        parse("--subscription=detector", "--model=out/models", "--groupAttribute=channel"));
    for (String learning : List.of("--learn=normal", "--score=hst")) {
      assertTrue(
          invalid(
                  "--subscription=detector",
                  "--model=out/models",
                  "--groupAttribute=channel",
                  learning)
              .getMessage()
              .startsWith("--groupAttribute cannot be combined with online learning"),
          learning);
    }
  }

  @Test
  void kafkaNeedsBootstrapServersAndAnInputTopicButNoSubscription() {
    DetectOptions options =
        parse(
            "--source=kafka",
            "--bootstrapServers=127.0.0.1:9092",
            "--inputTopic=tweets",
            "--model=out/models");
    LaunchChecks.validate(options);
    assertEquals(MessageBus.KAFKA, options.getSource());
    assertEquals("anomaly-detector", options.getConsumerGroup());
    assertEquals(60, options.getDeduplicationMinutes());
    assertEquals("", options.getDetectionsTopic());

    assertEquals(
        "--source=kafka needs --bootstrapServers=host:port and --inputTopic=TOPIC",
        invalid("--source=KAFKA", "--model=out/models").getMessage());
    assertEquals(
        "--source=kafka needs --inputTopic=TOPIC",
        invalid("--source=kafka", "--bootstrapServers=127.0.0.1:9092", "--model=out/models")
            .getMessage());
    assertEquals(
        "--source=kafka needs --bootstrapServers=host:port",
        invalid("--source=kafka", "--bootstrapServers= ", "--inputTopic=t", "--model=out/models")
            .getMessage());
    assertTrue(
        invalid(
                "--source=kafka",
                "--bootstrapServers=127.0.0.1:9092",
                "--inputTopic=tweets",
                "--subscription=detector",
                "--model=out/models")
            .getMessage()
            .contains("with --source=kafka the topic read is --inputTopic"));
  }

  @Test
  void aBlankConsumerGroupIsRefused() {
    assertEquals(
        "--source=kafka needs a --consumerGroup",
        invalid(
                "--source=kafka",
                "--bootstrapServers=127.0.0.1:9092",
                "--inputTopic=tweets",
                "--consumerGroup=",
                "--model=out/models")
            .getMessage());
  }

  @Test
  void theDeduplicationDurationMustBePositive() {
    assertEquals(
        "--deduplicationMinutes must be at least 1, was 0",
        invalid(
                "--source=kafka",
                "--bootstrapServers=127.0.0.1:9092",
                "--inputTopic=tweets",
                "--deduplicationMinutes=0",
                "--model=out/models")
            .getMessage());
  }

  @Test
  void anUnknownSourceIsAnErrorNamingTheChoices() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("--source=sqs", "--inputTopic=t", "--model=out/models"));
    assertTrue(e.getMessage().contains("use pubsub or kafka"), e.getMessage());
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
