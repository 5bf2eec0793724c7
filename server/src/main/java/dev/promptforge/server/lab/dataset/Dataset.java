package dev.promptforge.server.lab.dataset;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A dataset at one version.
 *
 * @param version the version shown (the latest unless an older one was asked for)
 * @param latestVersion the dataset's current version
 * @param itemCount how many items the shown version has
 * @param items the items, when fetched alone; null in listings
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Dataset(
        String id,
        String project,
        String name,
        @Nullable String description,
        int version,
        int latestVersion,
        int itemCount,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        @Nullable List<DatasetItem> items) {

    public Dataset {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        items = items == null ? null : List.copyOf(items);
    }
}
