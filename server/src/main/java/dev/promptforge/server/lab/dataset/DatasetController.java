package dev.promptforge.server.lab.dataset;

import dev.promptforge.server.registry.AuthorizedProjects;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The datasets of a project under {@code /api/v1/projects/{project}/datasets}. */
@RestController
@RequestMapping("/api/v1/projects/{project}/datasets")
@Tag(name = "Testing lab", description = "Datasets, test pipelines and their runs")
class DatasetController {

    record NewDataset(
            @Nullable String name,
            @Nullable String description,
            @Nullable List<Datasets.NewItem> items) {}

    record NewItems(@Nullable List<Datasets.NewItem> items) {}

    private final Datasets datasets;
    private final AuthorizedProjects projects;

    DatasetController(Datasets datasets, AuthorizedProjects projects) {
        this.datasets = datasets;
        this.projects = projects;
    }

    private static <T> T body(@Nullable T body) {
        if (body == null) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        return body;
    }

    @PostMapping
    @Operation(summary = "Create a dataset, optionally with its first items (version 1)")
    ResponseEntity<Dataset> create(@PathVariable String project, @RequestBody NewDataset request) {
        Project p = projects.require(project, Permission.WRITE);
        body(request);
        Dataset dataset = datasets.create(
                p, request.name(), request.description(), request.items() == null ? List.of() : request.items());
        return ResponseEntity.created(URI.create("/api/v1/projects/" + p.name() + "/datasets/" + dataset.name()))
                .body(dataset);
    }

    @GetMapping
    @Operation(summary = "List the project's datasets (latest versions, without items)")
    Page<Dataset> list(@PathVariable String project) {
        return datasets.list(projects.require(project, Permission.READ));
    }

    @GetMapping("/{dataset}")
    @Operation(summary = "A dataset with its items, at its latest or a given version")
    Dataset get(
            @PathVariable String project,
            @PathVariable String dataset,
            @RequestParam(required = false) @Nullable Integer version) {
        return datasets.get(projects.require(project, Permission.READ), dataset, version);
    }

    @PostMapping("/{dataset}/items")
    @Operation(summary = "Add items (a new version)")
    ResponseEntity<Dataset> addItems(
            @PathVariable String project, @PathVariable String dataset, @RequestBody NewItems request) {
        Project p = projects.require(project, Permission.WRITE);
        List<Datasets.NewItem> items = body(request).items();
        return ResponseEntity.status(201).body(datasets.addItems(p, dataset, items == null ? List.of() : items));
    }

    @DeleteMapping("/{dataset}/items/{item}")
    @Operation(summary = "Remove an item by id or name (a new version; older versions keep it)")
    Dataset removeItem(@PathVariable String project, @PathVariable String dataset, @PathVariable String item) {
        return datasets.removeItem(projects.require(project, Permission.WRITE), dataset, item);
    }

    @PostMapping(
            path = "/{dataset}/import",
            consumes = {"text/csv", "application/x-ndjson", "application/jsonl", "text/plain"})
    @Operation(summary = "Import CSV (promptfoo's __expected columns) or JSONL items; creates the dataset when missing")
    ResponseEntity<Dataset> importItems(
            @PathVariable String project,
            @PathVariable String dataset,
            @RequestParam(required = false) @Nullable String format,
            @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) @Nullable String contentType,
            @RequestBody(required = false) @Nullable String text) {
        Project p = projects.require(project, Permission.WRITE);
        String f = format != null
                ? DatasetFormats.format(format)
                : contentType != null && contentType.startsWith("text/csv") ? "csv" : "jsonl";
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("The request body must hold the " + f + " text.");
        }
        return ResponseEntity.status(201).body(datasets.importItems(p, dataset, f, text));
    }

    @GetMapping("/{dataset}/export")
    @Operation(summary = "Export the items as CSV or JSONL (format=csv|jsonl), at the latest or a given version")
    ResponseEntity<String> export(
            @PathVariable String project,
            @PathVariable String dataset,
            @RequestParam(required = false) @Nullable String format,
            @RequestParam(required = false) @Nullable Integer version) {
        Project p = projects.require(project, Permission.READ);
        String f = DatasetFormats.format(format);
        String text = datasets.export(p, dataset, f, version);
        return ResponseEntity.ok()
                .contentType(
                        f.equals("csv")
                                ? new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8)
                                : new MediaType("application", "x-ndjson", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + dataset + "." + f + "\"")
                .body(text);
    }

    @PostMapping("/{dataset}/from-records")
    @Operation(
            summary = "Add items from the project's production records (anonymized), e.g. the 50 lowest-scored"
                    + " of last week")
    ResponseEntity<Dataset> fromRecords(
            @PathVariable String project, @PathVariable String dataset, @RequestBody Datasets.FromRecords request) {
        Project p = projects.require(project, Permission.WRITE);
        return ResponseEntity.status(201).body(datasets.fromRecords(p, dataset, body(request)));
    }
}
