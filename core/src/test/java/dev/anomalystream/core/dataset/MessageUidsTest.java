package dev.anomalystream.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageUidsTest {
  @Test
  void sameInputGivesTheSameUid() {
    assertEquals(
        MessageUids.uid("train", 12, "i feel fine"), MessageUids.uid("train", 12, "i feel fine"));
  }

  @Test
  void splitLineAndTextEachChangeTheUid() {
    String base = MessageUids.uid("train", 12, "i feel fine");
    assertNotEquals(base, MessageUids.uid("validation", 12, "i feel fine"));
    assertNotEquals(base, MessageUids.uid("train", 13, "i feel fine"));
    assertNotEquals(base, MessageUids.uid("train", 12, "i feel fine!"));
  }

  @Test
  void uidIsReadable() {
    String uid = MessageUids.uid("train", 12, "i feel fine");
    assertTrue(uid.matches("train-000012-[0-9a-f]{12}"), uid);
  }

  @Test
  void labelsMapToHuggingFaceIds() {
    assertEquals(0, EmotionLabel.SADNESS.id());
    assertEquals(5, EmotionLabel.SURPRISE.id());
    assertEquals(EmotionLabel.LOVE, EmotionLabel.parse("2").orElseThrow());
    assertEquals(EmotionLabel.LOVE, EmotionLabel.parse(" Love ").orElseThrow());
    assertTrue(EmotionLabel.parse("6").isEmpty());
    assertTrue(EmotionLabel.parse("boredom").isEmpty());
  }
}
