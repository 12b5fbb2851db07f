package dev.anomalystream.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.json.Json;
import java.beans.Introspector;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Checks a hand-kept Flex Template metadata file against the pipeline's options interface, so the
 * two cannot drift: every template parameter is a real option; a parameter is mandatory exactly
 * when its option is {@link Validation.Required} (or the test says why the template demands more);
 * and every option of the project's own interfaces is offered or deliberately left out.
 */
public final class FlexTemplateMetadata {
  private static final String OWN_PACKAGE = "dev.anomalystream.";

  private final Path metadataFile;
  private final Class<? extends PipelineOptions> optionsInterface;

  private FlexTemplateMetadata(Path metadataFile, Class<? extends PipelineOptions> options) {
    this.metadataFile = metadataFile;
    this.optionsInterface = options;
  }

  /** The metadata file under {@code config/flex-templates/} of the repository. */
  public static FlexTemplateMetadata of(
      String pipeline, Class<? extends PipelineOptions> optionsInterface) {
    return new FlexTemplateMetadata(
        Path.of("..", "config", "flex-templates", pipeline + "-metadata.json"), optionsInterface);
  }

  /**
   * @param mandatoryInTemplateOnly options the pipeline does not require but the template does,
   *     each with the reason
   * @param leftOut options of the project's interfaces the template does not offer, each with the
   *     reason
   */
  public void assertAgrees(Map<String, String> mandatoryInTemplateOnly, Map<String, String> leftOut)
      throws IOException {
    Map<String, Boolean> optionalByParameter = new TreeMap<>();
    for (JsonNode parameter : Json.MAPPER.readTree(metadataFile.toFile()).get("parameters")) {
      optionalByParameter.put(
          parameter.get("name").asText(), parameter.path("isOptional").asBoolean(false));
    }
    Map<String, Method> getters = getters();

    Set<String> unknown = new TreeSet<>(optionalByParameter.keySet());
    unknown.removeAll(getters.keySet());
    assertEquals(Set.of(), unknown, metadataFile + " names options " + optionsInterface + " lacks");

    Map<String, Boolean> expectedOptional = new TreeMap<>();
    for (String name : optionalByParameter.keySet()) {
      Validation.Required required = getters.get(name).getAnnotation(Validation.Required.class);
      boolean requiredAlone = required != null && required.groups().length == 0;
      expectedOptional.put(name, !requiredAlone && !mandatoryInTemplateOnly.containsKey(name));
    }
    assertEquals(expectedOptional, optionalByParameter, "isOptional of " + metadataFile);
    assertTrue(
        optionalByParameter.keySet().containsAll(mandatoryInTemplateOnly.keySet()),
        "mandatory in the template only, but not in " + metadataFile);
    for (Map.Entry<String, Method> getter : getters.entrySet()) {
      Validation.Required required = getter.getValue().getAnnotation(Validation.Required.class);
      // Beam's own required options (the runner) have defaults a template launch provides
      if (isOwn(getter.getValue()) && required != null && required.groups().length == 0) {
        assertTrue(
            optionalByParameter.containsKey(getter.getKey()),
            "required option " + getter.getKey() + " is missing from " + metadataFile);
      }
    }

    Set<String> unaccounted = new TreeSet<>();
    for (Map.Entry<String, Method> getter : getters.entrySet()) {
      if (isOwn(getter.getValue())
          && !optionalByParameter.containsKey(getter.getKey())
          && !leftOut.containsKey(getter.getKey())) {
        unaccounted.add(getter.getKey());
      }
    }
    assertEquals(
        Set.of(),
        unaccounted,
        "options neither in " + metadataFile + " nor listed as left out on purpose");
    Set<String> staleLeftOut = new TreeSet<>(leftOut.keySet());
    staleLeftOut.removeIf(
        name -> getters.containsKey(name) && !optionalByParameter.containsKey(name));
    assertEquals(Set.of(), staleLeftOut, "listed as left out, but offered or no option at all");
  }

  private static boolean isOwn(Method getter) {
    return getter.getDeclaringClass().getName().startsWith(OWN_PACKAGE);
  }

  /** Every option of the interface and its parents, by property name. */
  private Map<String, Method> getters() {
    Map<String, Method> getters = new TreeMap<>();
    for (Method method : optionsInterface.getMethods()) {
      String name = method.getName();
      if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
        continue;
      }
      if (name.startsWith("get") && name.length() > 3) {
        getters.putIfAbsent(Introspector.decapitalize(name.substring(3)), method);
      } else if (name.startsWith("is") && method.getReturnType() == boolean.class) {
        getters.putIfAbsent(Introspector.decapitalize(name.substring(2)), method);
      }
    }
    return getters;
  }
}
