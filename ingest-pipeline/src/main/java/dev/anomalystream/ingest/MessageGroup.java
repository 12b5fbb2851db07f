package dev.anomalystream.ingest;

import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.model.GroupNames;
import java.io.Serializable;

/**
 * The group attribute ingest puts on each message ({@code --groupAttribute}): its value is a corpus
 * column of the record ({@code --groupColumn}: {@code label}, the class name, or {@code split}) or
 * one constant for the whole run ({@code --groupValue}), so a replay can stand for one channel or
 * spread a labelled corpus over channels.
 *
 * @param attribute the attribute name, or null for no group attribute
 * @param column the column the value comes from, or null
 * @param constant the value of every message, or null
 */
public record MessageGroup(String attribute, String column, String constant)
    implements Serializable {
  public static final String LABEL_COLUMN = "label";
  public static final String SPLIT_COLUMN = "split";

  public static final MessageGroup NONE = new MessageGroup(null, null, null);

  public MessageGroup {
    if (attribute == null) {
      if (column != null || constant != null) {
        throw new IllegalArgumentException(
            "--groupColumn and --groupValue need --groupAttribute, the attribute to put it in");
      }
    } else if ((column == null) == (constant == null)) {
      throw new IllegalArgumentException(
          "--groupAttribute=" + attribute + " needs exactly one of --groupColumn and --groupValue");
    } else if (column != null && !column.equals(LABEL_COLUMN) && !column.equals(SPLIT_COLUMN)) {
      throw new IllegalArgumentException(
          "--groupColumn=" + column + ": the corpus columns are label and split");
    } else if (constant != null && !GroupNames.valid(constant)) {
      throw new IllegalArgumentException(
          "--groupValue: " + GroupNames.problem(constant) + " (it names a group model)");
    }
  }

  /** The group of a record, or null when it has none (no group attribute, or an unlabelled one). */
  public String valueFor(CorpusRecord record) {
    if (attribute == null) {
      return null;
    }
    if (constant != null) {
      return constant;
    }
    if (column.equals(SPLIT_COLUMN)) {
      return record.split();
    }
    return record.label() == null ? null : record.label().label();
  }
}
