package dev.promptforge.server.lab.pipeline;

import dev.promptforge.server.lab.dataset.DatasetItem;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a run tests, fixed when it starts and stored with it, so a resumed run tests the same
 * versions on the same items with the same stages.
 */
record Plan(
        String pipelineId,
        int pipelineRevision,
        String projectId,
        String projectName,
        PipelineConfig config,
        List<StageSpec> stages,
        String prompt,
        int candidateVersion,
        @Nullable Integer baselineVersion,
        @Nullable String baselinePrompt,
        List<String> models,
        List<DatasetItem> items,
        @Nullable String dataset,
        @Nullable Integer datasetVersion,
        @Nullable String apiKeyId) {

    Plan {
        stages = List.copyOf(stages);
        models = List.copyOf(models);
        items = List.copyOf(items);
    }

    String candidateLabel() {
        return prompt + "@" + candidateVersion;
    }

    @Nullable
    String baselineLabel() {
        return baselineVersion == null ? null : baselinePrompt + "@" + baselineVersion;
    }

    String primaryModel() {
        return models.getFirst();
    }
}
