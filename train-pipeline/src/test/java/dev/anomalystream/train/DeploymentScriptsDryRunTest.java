package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment scripts' dry runs, checked against what Google documents, since nothing here can
 * reach GCP: scripts/deploy-dataflow, scripts/schedule-retraining (and the retraining workflow it
 * deploys, config/workflows/retrain.yaml), scripts/create-bigquery-tables and every scripts/
 * command of docs/DATAFLOW.md. Each run has failing fakes of gcloud, bq and mvn first on its PATH,
 * so a dry run that would call one fails the test.
 */
class DeploymentScriptsDryRunTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path WORKFLOW = ROOT.resolve("config/workflows/retrain.yaml");
  private static final String FIXED_START = "2026-11-30T04:53:38.123456Z";

  /**
   * The flags of each command as `gcloud COMMAND --help` of Google Cloud SDK 528 lists them (and
   * `bq help mk`), plus the gcloud-wide --project: a misspelt or invented flag fails the test.
   */
  private static final Map<String, Set<String>> DOCUMENTED_FLAGS =
      Map.ofEntries(
          Map.entry(
              "gcloud dataflow flex-template build",
              Set.of(
                  "--project",
                  "--additional-experiments",
                  "--additional-user-labels",
                  "--cloud-build-service-account",
                  "--dataflow-kms-key",
                  "--disable-public-ips",
                  "--enable-streaming-engine",
                  "--env",
                  "--flex-template-base-image",
                  "--gcs-log-dir",
                  "--go-binary-path",
                  "--image",
                  "--image-gcr-path",
                  "--image-repository-cert-path",
                  "--image-repository-password-secret-id",
                  "--image-repository-username-secret-id",
                  "--jar",
                  "--max-workers",
                  "--metadata-file",
                  "--network",
                  "--num-workers",
                  "--print-only",
                  "--py-path",
                  "--sdk-language",
                  "--service-account-email",
                  "--staging-location",
                  "--subnetwork",
                  "--temp-location",
                  "--worker-machine-type",
                  "--worker-region",
                  "--worker-zone",
                  "--yaml-image",
                  "--yaml-pipeline-path")),
          Map.entry(
              "gcloud dataflow flex-template run",
              Set.of(
                  "--project",
                  "--additional-experiments",
                  "--additional-pipeline-options",
                  "--additional-user-labels",
                  "--dataflow-kms-key",
                  "--disable-public-ips",
                  "--enable-streaming-engine",
                  "--flexrs-goal",
                  "--launcher-machine-type",
                  "--max-workers",
                  "--network",
                  "--num-workers",
                  "--parameters",
                  "--region",
                  "--service-account-email",
                  "--staging-location",
                  "--subnetwork",
                  "--temp-location",
                  "--template-file-gcs-location",
                  "--transform-name-mappings",
                  "--update",
                  "--no-update",
                  "--worker-machine-type",
                  "--worker-region",
                  "--worker-zone")),
          Map.entry(
              "gcloud scheduler jobs create http",
              Set.of(
                  "--project",
                  "--attempt-deadline",
                  "--description",
                  "--headers",
                  "--http-method",
                  "--location",
                  "--max-backoff",
                  "--max-doublings",
                  "--max-retry-attempts",
                  "--max-retry-duration",
                  "--message-body",
                  "--message-body-from-file",
                  "--min-backoff",
                  "--oauth-service-account-email",
                  "--oauth-token-scope",
                  "--oidc-service-account-email",
                  "--oidc-token-audience",
                  "--schedule",
                  "--time-zone",
                  "--uri")),
          Map.entry(
              "gcloud scheduler jobs update http",
              Set.of(
                  "--project",
                  "--attempt-deadline",
                  "--clear-auth-token",
                  "--clear-headers",
                  "--clear-max-backoff",
                  "--clear-max-doublings",
                  "--clear-max-retry-attempts",
                  "--clear-max-retry-duration",
                  "--clear-message-body",
                  "--clear-min-backoff",
                  "--clear-time-zone",
                  "--description",
                  "--http-method",
                  "--location",
                  "--max-backoff",
                  "--max-doublings",
                  "--max-retry-attempts",
                  "--max-retry-duration",
                  "--message-body",
                  "--message-body-from-file",
                  "--min-backoff",
                  "--oauth-service-account-email",
                  "--oauth-token-scope",
                  "--oidc-service-account-email",
                  "--oidc-token-audience",
                  "--remove-headers",
                  "--schedule",
                  "--time-zone",
                  "--update-headers",
                  "--uri")),
          Map.entry("gcloud scheduler jobs describe", Set.of("--project", "--location")),
          Map.entry(
              "gcloud workflows deploy",
              Set.of(
                  "--project",
                  "--location",
                  "--async",
                  "--call-log-level",
                  "--description",
                  "--execution-history-level",
                  "--labels",
                  "--service-account",
                  "--source",
                  "--tags",
                  "--clear-env-vars",
                  "--env-vars-file",
                  "--remove-env-vars",
                  "--set-env-vars",
                  "--update-env-vars")),
          Map.entry("gcloud artifacts repositories describe", Set.of("--project", "--location")),
          Map.entry(
              "gcloud artifacts repositories create",
              Set.of(
                  "--project",
                  "--location",
                  "--repository-format",
                  "--description",
                  "--async",
                  "--labels",
                  "--kms-key",
                  "--mode",
                  "--immutable-tags")),
          Map.entry(
              "bq mk",
              Set.of(
                  "--location",
                  "--table",
                  "--dataset",
                  "--time_partitioning_field",
                  "--time_partitioning_type",
                  "--clustering_fields")),
          Map.entry("bq show", Set.of("--location")),
          Map.entry("bq update", Set.of("--location")),
          // the runbook's own commands (docs/DATAFLOW.md), the scripts do not make them
          Map.entry("gcloud services enable", Set.of("--project", "--async")),
          Map.entry(
              "gcloud storage buckets create",
              Set.of("--project", "--location", "--uniform-bucket-level-access")),
          Map.entry(
              "gcloud iam service-accounts create",
              Set.of("--project", "--description", "--display-name")),
          Map.entry("gcloud projects add-iam-policy-binding", Set.of("--member", "--role")),
          Map.entry(
              "gcloud iam service-accounts add-iam-policy-binding",
              Set.of("--project", "--member", "--role")),
          Map.entry(
              "gcloud storage buckets add-iam-policy-binding",
              Set.of("--project", "--member", "--role")),
          Map.entry(
              "gcloud pubsub subscriptions add-iam-policy-binding",
              Set.of("--project", "--member", "--role")),
          Map.entry(
              "gcloud pubsub topics add-iam-policy-binding",
              Set.of("--project", "--member", "--role")),
          Map.entry(
              "gcloud secrets create",
              Set.of("--project", "--data-file", "--labels", "--replication-policy")),
          Map.entry(
              "gcloud secrets add-iam-policy-binding", Set.of("--project", "--member", "--role")),
          Map.entry(
              "gcloud dataflow jobs list",
              Set.of("--project", "--region", "--status", "--filter", "--limit")),
          Map.entry("gcloud dataflow jobs drain", Set.of("--project", "--region")),
          Map.entry(
              "gcloud workflows executions list",
              Set.of(
                  "--project",
                  "--location",
                  "--filter",
                  "--limit",
                  "--page-size",
                  "--sort-by",
                  "--uri")));

  private static final String DETECT =
      "scripts/deploy-dataflow detect --project=p1 --region=europe-west1 --bucket=gs://b1";

  @TempDir Path fakes;
  private Path callLog;

  @BeforeEach
  void installFailingFakes() throws IOException {
    callLog = fakes.resolve("calls.log");
    Path bin = Files.createDirectories(fakes.resolve("bin"));
    for (String tool : List.of("gcloud", "bq", "mvn")) {
      Path fake = bin.resolve(tool);
      Files.writeString(fake, "#!/bin/sh\necho \"$0 $*\" >> '" + callLog + "'\nexit 1\n");
      assertTrue(fake.toFile().setExecutable(true));
    }
  }

  @Test
  void detectRunsOnStreamingEngineWithTheLaunchOptionsGiven() throws Exception {
    DryRun run =
        dryRun(
            DETECT
                + " --run --max-workers=5 --machine-type=n2-standard-4"
                + " --service-account=worker@p1.iam.gserviceaccount.com --network=net"
                + " --subnetwork=regions/europe-west1/subnetworks/sub --labels=team=ml,env=prod"
                + " --harness-threads=4"
                + " -- --subscription=projects/p1/subscriptions/detector --model=gs://b1/models"
                + " --outputTable=p1:anomalies.detections");

    List<String> build = run.call("gcloud dataflow flex-template build");
    List<String> launch = run.call("gcloud dataflow flex-template run");
    for (List<String> call : List.of(build, launch)) {
      assertTrue(call.contains("--enable-streaming-engine"), "Streaming Engine off: " + call);
      assertTrue(call.contains("--max-workers=5"), call.toString());
      assertTrue(call.contains("--worker-machine-type=n2-standard-4"), call.toString());
      assertTrue(
          call.contains("--service-account-email=worker@p1.iam.gserviceaccount.com"),
          call.toString());
      assertTrue(call.contains("--network=net"), call.toString());
      assertTrue(
          call.contains("--subnetwork=regions/europe-west1/subnetworks/sub"), call.toString());
      assertTrue(call.contains("--temp-location=gs://b1/tmp"), call.toString());
      assertTrue(call.contains("--staging-location=gs://b1/staging"), call.toString());
    }
    assertEquals("anomaly-detect", launch.get(4), "the streaming job's stable name");
    assertTrue(launch.contains("--region=europe-west1"), launch.toString());
    assertTrue(
        launch.contains("--additional-user-labels=anomaly-stream=detect,team=ml,env=prod"),
        launch.toString());
    assertFalse(launch.contains("--update"), "a first launch is not an update");
    assertTrue(
        launch.contains("--additional-pipeline-options=numberOfWorkerHarnessThreads=4"),
        launch.toString());
    assertTrue(
        build.contains(
            "--flex-template-base-image="
                + "gcr.io/dataflow-templates-base/java17-template-launcher-base:20260122_RC00"),
        "the launcher image is pinned: " + build);
    assertTrue(build.contains("--env=DJL_CACHE_DIR=/tmp/djl"), build.toString());
    assertTrue(run.output().contains("# dry run: the bundled jar is not built"), run.output());
  }

  @Test
  void commaSeparatedValuesSurviveTheParametersFlag() throws Exception {
    DryRun run =
        dryRun(
            DETECT
                + " --run -- --subscription=projects/p1/subscriptions/detector"
                + " --model=gs://b1/models --outputTable=p1:anomalies.detections"
                + " --alertTo=oncall@example.com,lead@example.com --maxBatchSize=32");

    Map<String, String> parameters =
        gcloudDictionary(flagValue(run.call("gcloud dataflow flex-template run"), "--parameters"));
    assertEquals("oncall@example.com,lead@example.com", parameters.get("alertTo"));
    assertEquals("32", parameters.get("maxBatchSize"));
    assertEquals(
        Set.of("subscription", "model", "outputTable", "alertTo", "maxBatchSize"),
        parameters.keySet());
  }

  @Test
  void parametersGcloudCannotCarryAreRefused() throws Exception {
    assertEquals(2, exitCode(DETECT + " --run --dry-run -- --alertFrom=a~b@example.com"));
    assertEquals(2, exitCode(DETECT + " --run --dry-run -- --writeEmbeddings"), "no value");
    assertEquals(0, exitCode(DETECT + " --run --dry-run -- --writeEmbeddings=true"));
  }

  @Test
  void updateKeepsTheJobNameAndMapsRenamedTransforms() throws Exception {
    DryRun run =
        dryRun(
            DETECT
                + " --update --transform-name-mapping=ScoreMessages=Score"
                + " --transform-name-mapping=EmbedMessages=Embed"
                + " -- --subscription=projects/p1/subscriptions/detector --model=gs://b1/models"
                + " --outputTable=p1:anomalies.detections");

    List<String> launch = run.call("gcloud dataflow flex-template run");
    assertEquals("anomaly-detect", launch.get(4));
    assertTrue(launch.contains("--update"), launch.toString());
    assertTrue(launch.contains("--enable-streaming-engine"), launch.toString());
    assertEquals(
        Map.of("ScoreMessages", "Score", "EmbedMessages", "Embed"),
        gcloudDictionary(flagValue(launch, "--transform-name-mappings")));

    List<String> named =
        dryRun(DETECT + " --update --job-name=detector-eu")
            .call("gcloud dataflow flex-template run");
    assertEquals("detector-eu", named.get(4), "--update must address the running job's name");
    assertFalse(
        named.stream().anyMatch(w -> w.startsWith("--transform-name-mappings")), named.toString());
  }

  @Test
  void batchJobsGetAUniqueNameNoStreamingEngineAndNoUpdate() throws Exception {
    DryRun run =
        dryRun(
            "scripts/deploy-dataflow train --project=p1 --region=europe-west1 --bucket=gs://b1"
                + " --run -- --historyTable=p1:anomalies.detections --modelRoot=gs://b1/models");

    List<String> launch = run.call("gcloud dataflow flex-template run");
    assertTrue(launch.get(4).matches("anomaly-train-\\d{8}-\\d{6}"), launch.get(4));
    assertTrue(launch.contains("--additional-user-labels=anomaly-stream=train"), launch.toString());
    assertFalse(
        run.call("gcloud dataflow flex-template build").contains("--enable-streaming-engine"));
    assertFalse(launch.contains("--enable-streaming-engine"), launch.toString());
    assertEquals(
        2,
        exitCode(
            "scripts/deploy-dataflow train --project=p1 --region=r --bucket=gs://b --update"
                + " --dry-run"),
        "a batch job has no running job to update");
    assertEquals(
        2,
        exitCode(DETECT + " --run --transform-name-mapping=A=B --dry-run"),
        "mappings only mean something with --update");
  }

  @Test
  void theArtifactRegistryRepositoryIsMadeWhenMissing() throws Exception {
    DryRun run = dryRun(DETECT);

    List<String> describe = run.call("gcloud artifacts repositories describe");
    List<String> create = run.call("gcloud artifacts repositories create");
    for (List<String> call : List.of(describe, create)) {
      assertEquals("anomaly-stream", call.get(4));
      assertTrue(call.contains("--location=europe-west1"), call.toString());
      assertTrue(call.contains("--project=p1"), call.toString());
    }
    assertTrue(create.contains("--repository-format=docker"), create.toString());
    assertTrue(
        run.call("gcloud dataflow flex-template build")
            .contains(
                "--image-gcr-path=europe-west1-docker.pkg.dev/p1/anomaly-stream/detect:latest"));
    assertTrue(run.calls().stream().noneMatch(c -> c.contains("run")), "no launch without --run");
  }

  @Test
  void aScheduleIsCreatedWithHeadersAndUpdatedWithUpdateHeaders() throws Exception {
    String schedule =
        "scripts/schedule-retraining --project=p1 --region=europe-west1 --bucket=gs://b1"
            + " --historyTable=p1:anomalies.detections";

    DryRun created = dryRun(schedule);
    List<String> create = created.call("gcloud scheduler jobs create http");
    assertTrue(create.contains("--headers=Content-Type=application/json"), create.toString());
    DryRun updated = dryRun(schedule + " --assume-existing");
    List<String> update = updated.call("gcloud scheduler jobs update http");
    assertTrue(
        update.contains("--update-headers=Content-Type=application/json"), update.toString());
    assertEquals(flagValue(create, "--message-body"), flagValue(update, "--message-body"));
    assertEquals(flagValue(create, "--schedule"), flagValue(update, "--schedule"));
    assertEquals(flagValue(create, "--uri"), flagValue(update, "--uri"));
    // the workflow is deployed (created or updated) on both branches
    for (DryRun run : List.of(created, updated)) {
      List<String> deploy = run.call("gcloud workflows deploy");
      assertEquals("anomaly-retrain", deploy.get(3));
      assertTrue(deploy.contains("--location=europe-west1"), deploy.toString());
      assertTrue(deploy.contains("--project=p1"), deploy.toString());
      assertEquals(WORKFLOW, Path.of(flagValue(deploy, "--source")));
      assertEquals(
          "anomaly-scheduler@p1.iam.gserviceaccount.com",
          flagValue(deploy, "--service-account"),
          "the workflow runs as the scheduler account unless --workflowAccount says otherwise");
    }
  }

  @Test
  void theScheduleStartsTheWorkflowWhichLaunchesDeclaredParametersAndTheEnvironmentApart()
      throws Exception {
    DryRun run =
        dryRun(
            "scripts/schedule-retraining --project=p1 --region=europe-west1 --bucket=gs://b1"
                + " --historyTable=p1:anomalies.detections --historyDays=14"
                + " --serviceAccount=retrain@p1.iam.gserviceaccount.com"
                + " --workflowAccount=launcher@p1.iam.gserviceaccount.com");
    List<String> create = run.call("gcloud scheduler jobs create http");

    assertEquals(
        "https://workflowexecutions.googleapis.com/v1/projects/p1/locations/europe-west1"
            + "/workflows/anomaly-retrain/executions",
        flagValue(create, "--uri"));
    assertEquals("POST", flagValue(create, "--http-method"));
    assertEquals(
        "anomaly-scheduler@p1.iam.gserviceaccount.com",
        flagValue(create, "--oauth-service-account-email"));
    assertEquals(
        "launcher@p1.iam.gserviceaccount.com",
        flagValue(run.call("gcloud workflows deploy"), "--service-account"));
    // the Executions API takes the workflow's argument as a JSON object written as a string
    JsonNode body = Json.MAPPER.readTree(flagValue(create, "--message-body"));
    assertEquals(List.of("argument"), fieldNames(body));
    assertTrue(body.get("argument").isTextual(), body.toString());
    JsonNode argument = Json.MAPPER.readTree(body.get("argument").asText());
    assertEquals("p1", argument.get("project").asText());
    assertEquals("europe-west1", argument.get("region").asText());
    assertEquals("14", argument.get("historyDays").asText());
    assertTrue(argument.get("historyDays").isTextual(), "template parameters are strings");

    // the workflow reads exactly the arguments the schedule passes
    JsonNode workflow = retrainWorkflow();
    Set<String> read = new TreeSet<>();
    Matcher reference = Pattern.compile("\\bargs\\.(\\w+)").matcher(workflow.toString());
    while (reference.find()) {
      read.add(reference.group(1));
    }
    assertEquals(new TreeSet<>(fieldNames(argument)), read);

    JsonNode launch = step(workflow, "launch");
    assertEquals(
        "googleapis.dataflow.v1b3.projects.locations.flexTemplates.launch",
        launch.get("call").asText());
    assertEquals("${args.project}", launch.get("args").get("projectId").asText());
    assertEquals("${args.region}", launch.get("args").get("location").asText());
    JsonNode launchParameter = launch.get("args").get("body").get("launchParameter");
    assertEquals("${jobName}", launchParameter.get("jobName").asText());
    Set<String> names = new TreeSet<>(fieldNames(launchParameter.get("parameters")));
    assertDeclared("train", names);
    assertFalse(names.contains("tempLocation"), "tempLocation is not a template parameter");
    assertEquals(
        Set.of("historyTable", "historyDays", "modelRoot", "modelName", "reportDirectory"), names);
    // each value is the argument of the same name, and the arguments are the script's values
    Map<String, String> expected =
        Map.of(
            "historyTable", "p1:anomalies.detections",
            "historyDays", "14",
            "modelRoot", "gs://b1/models",
            "modelName", "tweets",
            "reportDirectory", "gs://b1/retrain-reports",
            "containerSpecGcsPath", "gs://b1/templates/train.json",
            "serviceAccountEmail", "retrain@p1.iam.gserviceaccount.com",
            "tempLocation", "gs://b1/tmp",
            "stagingLocation", "gs://b1/staging");
    JsonNode environment = launchParameter.get("environment");
    for (Map.Entry<String, String> value : expected.entrySet()) {
      String key = value.getKey();
      JsonNode holder =
          names.contains(key)
              ? launchParameter.get("parameters")
              : environment.has(key) ? environment : launchParameter;
      assertEquals("${args." + key + "}", holder.get(key).asText(), key);
      assertEquals(value.getValue(), argument.get(key).asText(), key);
    }
    assertEquals("retrain", environment.get("additionalUserLabels").get("anomaly-stream").asText());
  }

  @Test
  void eachRunIsNamedForItsUtcStartAndSkippedWhileATrainingJobIsActive() throws Exception {
    JsonNode workflow = retrainWorkflow();
    Pattern dataflowJobName = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    Map<String, String> named = evaluateAssignments(workflow, Instant.parse(FIXED_START));
    assertEquals("anomaly-retrain-20261130-045338", named.get("jobName"));
    assertEquals(
        "anomaly-retrain-20270101-000000",
        evaluateAssignments(workflow, Instant.parse("2027-01-01T00:00:00Z")).get("jobName"));
    assertTrue(dataflowJobName.matcher(named.get("jobName")).matches(), named.get("jobName"));

    // the guard lists the region's active jobs and skips on a training job's name
    JsonNode list = step(workflow, "listActiveJobs");
    assertEquals(
        "googleapis.dataflow.v1b3.projects.locations.jobs.list", list.get("call").asText());
    assertEquals("ACTIVE", list.get("args").get("filter").asText());
    JsonNode condition =
        step(step(workflow, "findTraining").get("for"), "isTraining").get("switch").get(0);
    assertEquals(
        "${text.replace_all_regex(job.name, training, \"\") == \"\"}",
        condition.get("condition").asText());
    String training = named.get("training");
    for (String active :
        List.of(named.get("jobName"), "anomaly-retrain", "anomaly-train-20261129-101010")) {
      assertEquals("", active.replaceAll(training, ""), active + " is a training job");
    }
    for (String other :
        List.of("anomaly-detect", "anomaly-ingest-20261130-045338", "anomaly-retraining")) {
      assertNotEquals("", other.replaceAll(training, ""), other + " is not a training job");
    }
  }

  @Test
  void theDetectionsTableIsPartitionedByDayAndClusteredByModelVersion() throws Exception {
    DryRun run = dryRun("scripts/create-bigquery-tables p1:anomalies.detections US");

    List<String> detections =
        run.calls().stream()
            .filter(c -> c.contains("p1:anomalies.detections") && c.contains("--table"))
            .findFirst()
            .orElseThrow();
    assertTrue(detections.contains("--time_partitioning_field=processed_time"), "" + detections);
    assertTrue(detections.contains("--time_partitioning_type=DAY"), detections.toString());
    assertTrue(detections.contains("--clustering_fields=model_version"), detections.toString());
    assertTrue(detections.contains("--location=US"), detections.toString());
    Map<String, String> columns = new LinkedHashMap<>();
    for (JsonNode field :
        Json.MAPPER.readTree(ROOT.resolve("config/bigquery/detections_schema.json").toFile())) {
      columns.put(field.get("name").asText(), field.get("type").asText());
    }
    assertEquals("TIMESTAMP", columns.get("processed_time"));
    assertEquals("STRING", columns.get("model_version"));
    assertTrue(run.calls().stream().anyMatch(c -> c.contains("p1:anomalies.detections_errors")));
    // an existing table gets the schema file's new columns
    assertTrue(
        run.calls().stream()
            .anyMatch(
                c ->
                    c.subList(0, 4)
                            .equals(
                                List.of("bq", "--location=US", "update", "p1:anomalies.detections"))
                        && c.get(c.size() - 1).endsWith("config/bigquery/detections_schema.json")),
        run.calls().toString());
  }

  /** Each scripts/ command of the runbook dry-runs; each gcloud/bq command has documented flags. */
  @Test
  void everyCommandOfTheRunbookIsChecked() throws Exception {
    List<String> commands = commandsIn("docs/DATAFLOW.md");
    Set<String> scripts = new TreeSet<>();
    Set<String> tools = new TreeSet<>();
    for (String command : commands) {
      if (command.startsWith("scripts/")) {
        assertFalse(dryRun(command).calls().isEmpty(), command);
        scripts.add(command.split(" ")[0]);
      } else {
        List<String> call = shellWords(command);
        assertDocumented(call);
        tools.add(String.join(" ", call.subList(0, 3)));
      }
    }
    assertEquals(
        Set.of(
            "scripts/create-bigquery-tables",
            "scripts/deploy-dataflow",
            "scripts/schedule-retraining"),
        scripts);
    assertTrue(
        tools.containsAll(
            Set.of("gcloud services enable", "gcloud secrets create", "gcloud dataflow jobs")),
        tools.toString());
  }

  /** The README's Google Cloud commands dry-run too. */
  @Test
  void theReadmeDeploymentCommandsDryRun() throws Exception {
    Set<String> scripts = new TreeSet<>();
    for (String command : commandsIn("README.md")) {
      String script = command.split(" ")[0];
      if (script.matches("scripts/(deploy-dataflow|schedule-retraining|create-bigquery-tables)")) {
        assertFalse(dryRun(command).calls().isEmpty(), command);
        scripts.add(script);
      }
    }
    assertEquals(3, scripts.size(), scripts.toString());
  }

  /** The commands of a Markdown file's code blocks, continuation lines joined. */
  private static List<String> commandsIn(String markdown) throws IOException {
    List<String> commands = new ArrayList<>();
    boolean inCode = false;
    StringBuilder command = null;
    for (String line : Files.readAllLines(ROOT.resolve(markdown))) {
      if (line.startsWith("```")) {
        inCode = !inCode;
        continue;
      }
      String text = line.strip();
      if (command == null && inCode && text.matches("(scripts/|gcloud |bq ).*")) {
        command = new StringBuilder();
      }
      if (command != null) {
        command.append(text.endsWith("\\") ? text.substring(0, text.length() - 1) : text);
        if (!text.endsWith("\\")) {
          commands.add(command.toString().replaceAll("\\s+", " ").strip());
          command = null;
        }
      }
    }
    return commands;
  }

  /** COMMAND_LINE's dry run: exit code 0, no tool called, every call's flags documented. */
  private DryRun dryRun(String commandLine) throws Exception {
    // after the first argument: deploy-dataflow's pipeline comes first, its "--" ends the flags
    String withFlag = commandLine.replaceFirst("^(scripts/\\S+ \\S+)", "$1 --dry-run");
    Process process = start(withFlag);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), withFlag);
    assertEquals(0, process.exitValue(), withFlag + "\n" + errors);
    assertFalse(Files.exists(callLog), () -> "a dry run called a tool: " + read(callLog));
    List<List<String>> calls = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        List<String> call = shellWords(line);
        assertDocumented(call);
        calls.add(call);
      }
    }
    return new DryRun(calls, output);
  }

  private int exitCode(String commandLine) throws Exception {
    Process process = start(commandLine);
    process.getInputStream().readAllBytes();
    process.getErrorStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), commandLine);
    assertFalse(Files.exists(callLog), () -> "a refused run called a tool: " + read(callLog));
    return process.exitValue();
  }

  private Process start(String commandLine) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", commandLine).directory(ROOT.toFile());
    builder.environment().put("PATH", fakes.resolve("bin") + ":" + System.getenv("PATH"));
    return builder.start();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static void assertDocumented(List<String> call) {
    String command =
        String.join(" ", call.stream().filter(w -> !w.startsWith("--")).toList()) + " ";
    String key =
        DOCUMENTED_FLAGS.keySet().stream()
            .filter(k -> command.startsWith(k + " "))
            .findFirst()
            .orElseGet(() -> fail("a call of no documented command: " + call));
    for (String word : call) {
      if (word.startsWith("--")) {
        String flag = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        assertTrue(DOCUMENTED_FLAGS.get(key).contains(flag), key + " has no flag " + flag);
      }
    }
    if (key.equals("gcloud dataflow flex-template run")) {
      String template = flagValue(call, "--template-file-gcs-location");
      String pipeline = template.replaceAll(".*/templates/(\\w+)\\.json$", "$1");
      if (call.stream().anyMatch(w -> w.startsWith("--parameters="))) {
        assertDeclared(pipeline, gcloudDictionary(flagValue(call, "--parameters")).keySet());
      }
    }
  }

  /** config/workflows/retrain.yaml, parsed (SnakeYAML, which Beam brings). */
  private static JsonNode retrainWorkflow() throws IOException {
    try (Reader reader = Files.newBufferedReader(WORKFLOW)) {
      Object parsed = new Yaml().load(reader);
      return Json.MAPPER.valueToTree(parsed);
    }
  }

  /** The step NAME of a workflow (its main steps) or of a block with steps, as its body. */
  private static JsonNode step(JsonNode block, String name) {
    JsonNode steps = block.has("main") ? block.get("main").get("steps") : block.get("steps");
    for (JsonNode step : steps) {
      if (step.has(name)) {
        return step.get(name);
      }
    }
    return fail("no step " + name + " in " + steps);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * The variables the workflow's nameTheJob step assigns when it runs at START, its expressions
   * evaluated here: string literals, `+`, time.format(sys.now()) (UTC ISO 8601 with microseconds,
   * as the Workflows reference shows it) and text.replace_all_regex (RE2; the patterns used mean
   * the same in java.util.regex). Any other expression fails the test.
   */
  private static Map<String, String> evaluateAssignments(JsonNode workflow, Instant start) {
    Map<String, String> variables = new HashMap<>();
    for (JsonNode assignment : step(workflow, "nameTheJob").get("assign")) {
      String name = assignment.fieldNames().next();
      String value = assignment.get(name).asText();
      if (value.startsWith("${") && value.endsWith("}")) {
        value = evaluate(value.substring(2, value.length() - 1).strip(), variables, start);
      }
      variables.put(name, value);
    }
    return variables;
  }

  private static final Pattern REPLACE_ALL_REGEX =
      Pattern.compile("text\\.replace_all_regex\\((\\w+), \"([^\"]*)\", \"([^\"$\\\\]*)\"\\)");

  private static String evaluate(String expression, Map<String, String> variables, Instant start) {
    StringBuilder result = new StringBuilder();
    for (String term : splitOutsideQuotes(expression, " + ")) {
      Matcher replace = REPLACE_ALL_REGEX.matcher(term);
      if (term.equals("time.format(sys.now())")) {
        result.append(
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .withZone(ZoneOffset.UTC)
                .format(start));
      } else if (replace.matches()) {
        String source = variables.get(replace.group(1));
        assertNotNull(source, "undefined " + replace.group(1));
        result.append(source.replaceAll(replace.group(2), replace.group(3)));
      } else if (term.matches("\"[^\"]*\"")) {
        result.append(term, 1, term.length() - 1);
      } else {
        fail("an expression this test cannot evaluate: " + term);
      }
    }
    return result.toString();
  }

  private static List<String> splitOutsideQuotes(String expression, String separator) {
    List<String> terms = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < expression.length(); i++) {
      if (expression.charAt(i) == '"') {
        quoted = !quoted;
      } else if (!quoted && expression.startsWith(separator, i)) {
        terms.add(expression.substring(start, i));
        start = i + separator.length();
        i = start - 1;
      }
    }
    terms.add(expression.substring(start));
    return terms;
  }

  /** Every name is a parameter of config/flex-templates/PIPELINE-metadata.json. */
  private static void assertDeclared(String pipeline, Set<String> names) {
    Set<String> declared = new TreeSet<>();
    try {
      Path metadata = ROOT.resolve("config/flex-templates/" + pipeline + "-metadata.json");
      for (JsonNode parameter : Json.MAPPER.readTree(metadata.toFile()).get("parameters")) {
        declared.add(parameter.get("name").asText());
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Set<String> undeclared = new TreeSet<>(names);
    undeclared.removeAll(declared);
    assertEquals(Set.of(), undeclared, "parameters the " + pipeline + " template does not declare");
  }

  private static String flagValue(List<String> call, String flag) {
    return call.stream()
        .filter(w -> w.startsWith(flag + "="))
        .map(w -> w.substring(flag.length() + 1))
        .findFirst()
        .orElseGet(() -> fail(flag + " missing from " + call));
  }

  /**
   * A gcloud dictionary flag's value as gcloud reads it (`gcloud topic escaping`): items split on
   * commas, or on DELIM when the value starts with ^DELIM^; key and value split at the first '='.
   */
  static Map<String, String> gcloudDictionary(String value) {
    String delimiter = ",";
    Matcher alternative = Pattern.compile("^\\^([^^]+)\\^").matcher(value);
    if (alternative.find()) {
      delimiter = alternative.group(1);
      value = value.substring(alternative.end());
    }
    Map<String, String> items = new LinkedHashMap<>();
    for (String item : value.split(Pattern.quote(delimiter))) {
      int equals = item.indexOf('=');
      assertNotEquals(-1, equals, "no key=value: " + item);
      items.put(item.substring(0, equals), item.substring(equals + 1));
    }
    return items;
  }

  /** The words of a line written with bash's printf '%q ' (backslash escapes, '' when empty). */
  static List<String> shellWords(String line) {
    assertFalse(line.contains("$'"), "a control character in a printed call: " + line);
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        word.append(line, i + 1, end);
        i = end;
        inWord = true;
      } else if (c == ' ') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private record DryRun(List<List<String>> calls, String output) {
    /** The one call of COMMAND (its leading words). */
    List<String> call(String command) {
      List<List<String>> matching =
          calls.stream().filter(c -> String.join(" ", c).startsWith(command + " ")).toList();
      assertEquals(1, matching.size(), command + " in\n" + output);
      return matching.get(0);
    }
  }
}
