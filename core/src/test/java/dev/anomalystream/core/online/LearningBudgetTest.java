package dev.anomalystream.core.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LearningBudgetTest {
  private static final long MINUTE = 60_000L;

  @Test
  void eachWindowGetsItsOwnBudget() {
    LearningBudget budget = new LearningBudget(2, Duration.ofMinutes(10));
    assertTrue(budget.take(0));
    assertTrue(budget.take(9 * MINUTE));
    assertFalse(budget.take(9 * MINUTE + 59_999), "a third in the first window");
    assertTrue(budget.take(10 * MINUTE), "the next window starts afresh");
    assertEquals(2, budget.spent(5 * MINUTE));
    assertEquals(1, budget.spent(15 * MINUTE));
  }

  @Test
  void aLateMessageCountsAgainstItsOwnWindow() {
    LearningBudget budget = new LearningBudget(1, Duration.ofMinutes(10));
    assertTrue(budget.take(25 * MINUTE));
    assertTrue(budget.take(5 * MINUTE));
    assertFalse(budget.take(7 * MINUTE));
  }

  @Test
  void countsSurviveARestore() {
    LearningBudget budget = new LearningBudget(1, Duration.ofMinutes(10));
    budget.take(0);
    LearningBudget restored = new LearningBudget(1, Duration.ofMinutes(10));
    restored.restore(budget.counts());
    assertFalse(restored.take(MINUTE));
  }

  @Test
  void aZeroBudgetLearnsNothing() {
    assertFalse(new LearningBudget(0, Duration.ofMinutes(1)).take(0));
  }
}
