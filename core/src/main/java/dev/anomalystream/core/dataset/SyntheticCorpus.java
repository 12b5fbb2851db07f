package dev.anomalystream.core.dataset;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A small corpus the project makes itself, so the demo and the tests need no download: tweet-like
 * messages about everyday feelings (in the emotion corpus's style: lowercase letters and spaces),
 * and clearly off-topic texts (trivia questions, technical instructions, spam) in the same style,
 * so a detector cannot win on punctuation or capitals. Deterministic for a seed.
 */
public final class SyntheticCorpus {
  /** A normal message with the emotion it expresses. */
  public record Tweet(String text, EmotionLabel label) {}

  private static final String[][] FEELINGS = {
    {"sadness", "so lonely", "really down", "heartbroken", "empty inside", "miserable", "gloomy"},
    {
      "joy",
      "so happy",
      "thrilled",
      "really cheerful",
      "on top of the world",
      "delighted",
      "excited"
    },
    {
      "love",
      "so loved",
      "really grateful for them",
      "tender",
      "so close to them",
      "adored",
      "warm inside"
    },
    {"anger", "so angry", "furious", "really annoyed", "irritated", "fed up", "outraged"},
    {"fear", "so scared", "terrified", "really nervous", "anxious", "afraid", "uneasy"},
    {
      "surprise",
      "so surprised",
      "amazed",
      "shocked",
      "stunned",
      "really astonished",
      "caught off guard"
    },
  };

  private static final String[] SUBJECTS = {
    "my best friend", "my mom", "my little brother", "my boss", "my roommate", "my boyfriend",
    "my girlfriend", "my neighbours", "my coworkers", "my grandmother", "my teacher", "my dog",
  };

  private static final String[] EVENTS = {
    "called me last night", "forgot my birthday", "came home late again", "sent me a long message",
    "cancelled our plans", "surprised me with dinner", "moved to another city",
        "said goodbye today",
    "left without a word", "helped me with the move", "ignored me all week", "gave me a hug",
  };

  private static final String[] TEMPLATES = {
    "i feel %s because %s %s",
    "i am %s since %s %s",
    "i have been feeling %s ever since %s %s",
    "honestly i feel %s today after %s %s",
    "i cant stop feeling %s when %s %s",
  };

  private static final String[] OFF_TOPIC = {
    "what is the boiling point of water at sea level in kelvin",
    "how many moons does the planet jupiter have",
    "who wrote the novel war and peace",
    "what is the capital city of australia",
    "when did the roman empire fall in the west",
    "which element has the atomic number twenty six",
    "how tall is the eiffel tower in meters",
    "what is the speed of light in a vacuum",
    "run sudo apt get update and then restart the nginx service",
    "set the environment variable java home before running maven",
    "the function returns a null pointer when the buffer overflows",
    "configure the load balancer to forward port eighty to the backend pool",
    "compile the kernel module with gcc and load it with insmod",
    "buy cheap replica watches with free shipping click here now",
    "limited offer earn five thousand dollars a week from home",
    "claim your free cruise tickets by replying with your bank details",
    "quarterly revenue rose four percent on strong demand for semiconductors",
    "the central bank raised interest rates by a quarter point",
    "mix the flour with two eggs and bake for forty minutes at one hundred eighty degrees",
    "the mitochondria is the powerhouse of the cell",
    "photosynthesis converts carbon dioxide and water into glucose",
    "the train to brussels departs from platform nine at half past seven",
    "invoice number four five two is due at the end of the month",
    "the derivative of the sine function is the cosine function",
  };

  private SyntheticCorpus() {}

  /** {@code count} distinct tweet-like messages, labels spread over the six emotions. */
  public static List<Tweet> tweets(int count, long seed) {
    int distinctPossible =
        FEELINGS.length
            * (FEELINGS[0].length - 1)
            * SUBJECTS.length
            * EVENTS.length
            * TEMPLATES.length;
    if (count > distinctPossible) {
      throw new IllegalArgumentException(
          "at most " + distinctPossible + " distinct tweets, asked " + count);
    }
    Random random = new Random(seed);
    Set<String> seen = new LinkedHashSet<>();
    List<Tweet> tweets = new ArrayList<>(count);
    while (tweets.size() < count) {
      String[] feeling = FEELINGS[random.nextInt(FEELINGS.length)];
      String text =
          String.format(
              TEMPLATES[random.nextInt(TEMPLATES.length)],
              feeling[1 + random.nextInt(feeling.length - 1)],
              SUBJECTS[random.nextInt(SUBJECTS.length)],
              EVENTS[random.nextInt(EVENTS.length)]);
      if (seen.add(text)) {
        tweets.add(new Tweet(text, EmotionLabel.parse(feeling[0]).orElseThrow()));
      }
    }
    return tweets;
  }

  /** Up to {@link #offTopicCount()} distinct off-topic texts, in a seeded order. */
  public static List<String> offTopic(int count, long seed) {
    if (count > OFF_TOPIC.length) {
      throw new IllegalArgumentException(
          "at most " + OFF_TOPIC.length + " off-topic texts, asked " + count);
    }
    List<String> texts = new ArrayList<>(List.of(OFF_TOPIC));
    java.util.Collections.shuffle(texts, new Random(seed));
    return texts.subList(0, count);
  }

  /** How many distinct off-topic texts there are. */
  public static int offTopicCount() {
    return OFF_TOPIC.length;
  }
}
