package dev.anomalystream.ingest;

import dev.anomalystream.core.testing.FlexTemplateMetadata;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config/flex-templates/ingest-metadata.json and {@link IngestOptions} agree. */
class IngestTemplateMetadataTest {
  @Test
  void templateParametersAreTheIngestOptions() throws Exception {
    FlexTemplateMetadata.of("ingest", IngestOptions.class)
        .assertAgrees(
            Map.of(),
            Map.of(
                "hubEndpoint", "points hf:// reads at a local server in tests",
                "hubCacheDir", "a cache on the launching machine, which a template launch lacks"));
  }
}
