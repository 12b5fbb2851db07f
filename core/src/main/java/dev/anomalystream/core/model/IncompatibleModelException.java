package dev.anomalystream.core.model;

/** A stored model cannot serve this detector, e.g. it was trained on another embedding model. */
public final class IncompatibleModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IncompatibleModelException(String message) {
    super(message);
  }
}
