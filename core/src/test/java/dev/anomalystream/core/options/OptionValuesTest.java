package dev.anomalystream.core.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionValuesTest {
  @Test
  void blankMeansNotGivenAndListsDropBlankEntries() {
    assertEquals(null, OptionValues.blankToNull("  "));
    assertEquals("x", OptionValues.blankToNull(" x "));
    assertEquals(List.of("a", "b"), OptionValues.nonBlank(List.of("a", " b", " ")));
  }

  @Test
  void aChoiceIsReadInAnyCaseAndAWrongOneNamesEveryChoice() {
    assertEquals(MessageBus.KAFKA, OptionValues.choice(MessageBus.class, " Kafka ", "bus"));
    IllegalArgumentException wrong =
        assertThrows(
            IllegalArgumentException.class,
            () -> OptionValues.choice(MessageBus.class, "mqtt", "message bus"));
    assertEquals("unknown message bus 'mqtt': use pubsub or kafka", wrong.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> OptionValues.choice(MessageBus.class, null, "bus"));
  }
}
