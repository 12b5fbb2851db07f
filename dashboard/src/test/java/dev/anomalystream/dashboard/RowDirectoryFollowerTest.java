package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowDirectoryFollowerTest {

  @Test
  void readsEachFinishedFileOnceAndIgnoresFilesInProgress(@TempDir Path rows) throws Exception {
    EventHub hub = new EventHub("e", 100, 100);
    RowDirectoryFollower follower = new RowDirectoryFollower(rows);
    Files.writeString(rows.resolve("rows-1.json"), TestRows.line("u-1", "a", false, 0.1) + "\n");
    Files.writeString(rows.resolve("rows-2.json.inprogress"), "{\"half a row");
    assertEquals(1, follower.readNewFiles(hub));
    assertEquals(1, hub.rows());
    assertEquals(0, follower.readNewFiles(hub));
    assertEquals(1, hub.rows());
    Files.writeString(
        rows.resolve("rows-2.json.inprogress"),
        TestRows.line("u-2", "b", true, 0.9) + "\n\n" + TestRows.line("u-3", "c", false, 0.2));
    Files.move(
        rows.resolve("rows-2.json.inprogress"),
        rows.resolve("rows-2.json"),
        StandardCopyOption.ATOMIC_MOVE);
    assertEquals(1, follower.readNewFiles(hub));
    assertEquals(3, hub.rows());
    assertEquals(0, hub.malformed());
  }

  @Test
  void followsADirectoryThatAppearsLaterAndCountsBadLines(@TempDir Path parent) throws Exception {
    Path rows = parent.resolve("rows");
    EventHub hub = new EventHub("e", 100, 100);
    try (RowDirectoryFollower follower = new RowDirectoryFollower(rows)) {
      follower.start(hub);
      Thread.sleep(2 * RowDirectoryFollower.POLL_MILLIS);
      Files.createDirectories(rows);
      // written whole under another name and renamed, as the detector does: a .json file the
      // follower sees is complete
      Files.writeString(
          rows.resolve("a.json.inprogress"),
          TestRows.line("u-1", "a", false, 0.1) + "\nnot a row\n");
      Files.move(
          rows.resolve("a.json.inprogress"),
          rows.resolve("a.json"),
          StandardCopyOption.ATOMIC_MOVE);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hub.rows() == 1 && hub.malformed() == 1);
      Thread.sleep(3 * RowDirectoryFollower.POLL_MILLIS);
      assertEquals(1, hub.rows(), "a file is read once");
    }
  }

  @Test
  void followsTheStreamViewsWindowsAndTopicsBesideEachOther(@TempDir Path output) throws Exception {
    EventHub hub = new EventHub("e", 100, 100);
    RowDirectoryFollower follower = RowDirectoryFollower.streamView(output);
    assertEquals(0, follower.readNewFiles(hub));
    Files.createDirectories(output.resolve("windows"));
    Files.createDirectories(output.resolve("topics"));
    // the same file name in both directories: each is its own file
    Files.writeString(
        output.resolve("windows").resolve("a.json"),
        TestRows.window("2026-11-30T07:20:00Z", 1.0, 0) + "\nnot a window\n");
    Files.writeString(
        output.resolve("topics").resolve("a.json"),
        TestRows.topic("t-1", "2026-11-30T07:20:00Z", 5, "x") + "\n");
    assertEquals(2, follower.readNewFiles(hub));
    assertEquals(0, follower.readNewFiles(hub));
    assertEquals(1, hub.windowRows());
    assertEquals(1, hub.topicCount());
    assertEquals(1, hub.malformed());
    assertEquals(0, hub.rows());
    follower.start(hub);
    follower.close();
    assertTrue(hub.helloJson().contains("\"stream_view\":true"));
  }
}
