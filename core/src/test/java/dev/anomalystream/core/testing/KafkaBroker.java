package dev.anomalystream.core.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node Kafka broker (KRaft mode, like {@code scripts/kafka}) for tests: started in
 * its own JVM on free loopback ports before the test class, and stopped afterwards, also when a
 * test fails. Register with {@code @RegisterExtension static final KafkaBroker KAFKA = new
 * KafkaBroker();}.
 *
 * <p>The broker's jars ({@code kafka_2.13}, with Scala and its own Jackson) stay off the test
 * classpath: they are resolved by Maven from {@code config/kafka/pom.xml} (Maven Central, cached in
 * the local repository after the first run) and handed to the broker's JVM only.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static String cachedClasspath;

  private Process process;
  private Path workDir;
  private Path log;
  private int port;
  private String classpath;
  private String javaLog;
  private Path properties;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path root = repositoryRoot();
    classpath = brokerClasspath(root);
    port = freePort();
    int controllerPort = freePort();
    workDir = Files.createTempDirectory("kafka-broker");
    log = workDir.resolve("kafka.log");
    properties = workDir.resolve("server.properties");
    Files.writeString(properties, serverProperties(controllerPort));
    javaLog = "-Dlog4j.configuration=" + root.resolve("config/kafka/log4j.properties").toUri();
    String uuid = kafkaUuid();
    Process format =
        javaProcess(
                classpath,
                javaLog,
                "kafka.tools.StorageTool",
                "format",
                // one argument with '=': a URL-safe base64 id may start with '-', which the tool's
                // parser would otherwise take for an option (1 start in 64 failed that way)
                "--cluster-id=" + uuid,
                "-c",
                properties.toString())
            .start();
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IllegalStateException("formatting the Kafka log directory failed:\n" + readLog());
    }
    startBroker();
  }

  private void startBroker() throws Exception {
    process =
        javaProcess(classpath, javaLog, "kafka.Kafka", properties.toString())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      Awaitility.await("the Kafka broker answering")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> !process.isAlive() || answers());
    } catch (ConditionTimeoutException e) {
      stop();
      throw new IllegalStateException(
          "the Kafka broker did not answer within " + START_TIMEOUT + ":\n" + readLog(), e);
    }
    if (!process.isAlive()) {
      String text = readLog();
      stop();
      throw new IllegalStateException("the Kafka broker exited at start:\n" + text);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    stop();
  }

  /**
   * Stops the broker's JVM (SIGTERM, as an operator would) and starts it again on the same ports
   * and log directory: what clients see of a broker restart. {@code whileDown} runs in between.
   */
  public void restart(Runnable whileDown) throws Exception {
    stopProcess();
    whileDown.run();
    startBroker();
  }

  /** For {@code --bootstrapServers} and Kafka clients. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The broker's JVM, while it runs. */
  ProcessHandle processHandle() {
    return process.toHandle();
  }

  public void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
  }

  public Set<String> topics() throws Exception {
    try (Admin admin = admin()) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Reads a topic from its beginning, as a new consumer group, until {@code expected} records
   * arrived or {@code timeout} passed (the caller then asserts on what it got); then polls once
   * more, so that extra records are seen too. Keys and values are UTF-8 strings.
   */
  public List<ConsumerRecord<String, String>> consumeAtLeast(
      String topic, int expected, Duration timeout) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (all.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(all::add);
    }
    return all;
  }

  /** Sends the records one by one, each acknowledged by the broker before the next. */
  public void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(record).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30_000));
  }

  private boolean answers() {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                2_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2_000))) {
      admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private void stop() throws IOException {
    stopProcess();
    if (workDir != null) {
      try (Stream<Path> files = Files.walk(workDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      workDir = null;
    }
  }

  private void stopProcess() {
    if (process != null) {
      // a graceful shutdown first (SIGTERM), then the whole tree by force
      Processes.stop(process, Duration.ofSeconds(30));
      process = null;
    }
  }

  private String serverProperties(int controllerPort) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + workDir.resolve("data"),
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "");
  }

  private String readLog() throws IOException {
    return log != null && Files.exists(log) ? Files.readString(log) : "(no log)";
  }

  /** The classpath goes through CLASSPATH, so the command line stays short. */
  private ProcessBuilder javaProcess(String classpath, String... args) {
    ProcessBuilder builder =
        new ProcessBuilder(javaCommand(args))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("CLASSPATH", classpath);
    return builder;
  }

  private static List<String> javaCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(List.of(args));
    return command;
  }

  /** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding. */
  private static String kafkaUuid() {
    UUID random = UUID.randomUUID();
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
    bytes.putLong(random.getMostSignificantBits()).putLong(random.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

  /** The directory that holds config/kafka/pom.xml: the working directory or a parent of it. */
  static Path repositoryRoot() {
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("config/kafka/pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no config/kafka/pom.xml in " + Paths.get("").toAbsolutePath() + " or its parents");
  }

  /**
   * The broker's classpath, resolved once per JVM by Maven ({@code kafka.broker.mvn}, which
   * Surefire sets to the running Maven, else {@code mvn} on the PATH).
   */
  static synchronized String brokerClasspath(Path root) throws IOException, InterruptedException {
    if (cachedClasspath != null) {
      return cachedClasspath;
    }
    Path output = Files.createTempFile("kafka-classpath", ".txt");
    Path mavenLog = Files.createTempFile("kafka-classpath", ".log");
    try {
      String mvn = System.getProperty("kafka.broker.mvn", "mvn");
      if (!Files.isExecutable(Paths.get(mvn))) {
        mvn = "mvn";
      }
      Process maven =
          new ProcessBuilder(
                  mvn,
                  "-B",
                  "-q",
                  "-f",
                  root.resolve("config/kafka/pom.xml").toString(),
                  "dependency:build-classpath",
                  "-Dmdep.outputFile=" + output)
              .redirectErrorStream(true)
              .redirectOutput(mavenLog.toFile())
              .start();
      if (!maven.waitFor(10, TimeUnit.MINUTES) || maven.exitValue() != 0) {
        maven.destroyForcibly();
        throw new IllegalStateException(
            "resolving the Kafka broker's jars failed:\n"
                + Files.readString(mavenLog, StandardCharsets.UTF_8));
      }
      cachedClasspath = Files.readString(output, StandardCharsets.UTF_8).trim();
      return cachedClasspath;
    } finally {
      Files.deleteIfExists(output);
      Files.deleteIfExists(mavenLog);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
