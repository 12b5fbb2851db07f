package dev.anomalystream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.anomalystream.core.testing.ChromiumBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a written report in headless Chromium, offline, and checks that the page script ran without
 * error and the charts are in the rendered DOM. The screenshot it leaves in {@code
 * target/report-browser/} is for a person to look at. Skipped when no Chromium is installed; {@code
 * -Dchromium.binary=PATH} points at a non-standard one.
 */
class EvaluationReportBrowserTest {
  private static final Path OUTPUT = Path.of("target", "report-browser");
  private static final long TIMEOUT_SECONDS = 120;

  private static final Path CHROMIUM = ChromiumBinary.find();

  private static EvaluationReport report;
  private static Path reportFile;

  /** Per test rather than per class, so each test is reported as skipped with the reason. */
  @BeforeEach
  void writeReportOnceChromiumIsThere() throws IOException {
    assumeTrue(
        CHROMIUM != null,
        "no Chromium binary (looked for -Dchromium.binary, /usr/bin/chromium, chromium and"
            + " chromium-browser on PATH); install it with: apt-get install -y chromium");
    if (report == null) {
      report = SampleReports.builder().build();
      reportFile = OUTPUT.resolve("report.html").toAbsolutePath();
      report.writeHtml(reportFile);
    }
  }

  @Test
  void rendersEveryChartWithoutScriptErrors(@TempDir Path profile) throws Exception {
    Document dom = Jsoup.parse(runChromium(profile, "--dump-dom"));
    String rendered = dom.body().attr("data-rendered");
    assertEquals("ok", rendered, "page script did not finish: " + rendered);
    assertEquals("5", dom.body().attr("data-charts"), "the page script counted the charts");
    assertEquals(EvaluationReportTest.CHART_TITLES, dom.select("figure > h2").eachText());
    assertEquals(5, dom.select("figure > svg.chart").size());
    ReportFigures figures = report.figures();
    assertEquals(figures.projection().size(), dom.select("circle.point").size());
    assertEquals(figures.anomalyRate().size(), dom.select("circle.rate-point").size());
    assertTrue(dom.select("rect.bar").size() > 0, "no histogram bars rendered");
    assertEquals(3, dom.select("polyline.roc-curve").size());
    // the hostile message of the sample stays a hover text; the browser made no element of it
    assertEquals(2, dom.select("script").size());
    assertTrue(
        dom.select("circle.point > title").stream()
            .anyMatch(title -> title.text().contains(SampleReports.HOSTILE_TEXT)));
  }

  @Test
  void screenshotIsWritten(@TempDir Path profile) throws Exception {
    Path screenshot = OUTPUT.resolve("report.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    runChromium(profile, "--screenshot=" + screenshot, "--window-size=1400,1900");
    assertTrue(Files.exists(screenshot), "Chromium wrote no screenshot to " + screenshot);
    // a blank page compresses to a few kilobytes; charts and tables make it far larger
    assertTrue(Files.size(screenshot) > 50_000, "screenshot is suspiciously small");
  }

  /** Runs headless Chromium on the report with every network feature it has switched off. */
  private static String runChromium(Path profile, String... action) throws Exception {
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString()));
    command.addAll(ChromiumBinary.HEADLESS_FLAGS);
    command.add("--user-data-dir=" + profile);
    command.addAll(List.of(action));
    command.add(reportFile.toUri().toString());
    Path stdout = profile.resolve("stdout.txt");
    Path stderr = profile.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Chromium did not finish within " + TIMEOUT_SECONDS + " s");
    }
    assertEquals(0, process.exitValue(), () -> "Chromium failed: " + readQuietly(stderr));
    return Files.readString(stdout);
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(stderr unreadable: " + e.getMessage() + ")";
    }
  }
}
