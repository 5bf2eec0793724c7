package dev.promptforge.server.dashboard;

import dev.promptforge.server.records.RecordView;
import dev.promptforge.server.records.Records;
import dev.promptforge.server.registry.Prompt;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Page;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The records table with its filters and live rows, and a record's detail. */
@Controller
class RecordsPageController {

    static final int PAGE_SIZE = 50;

    private final Pages pages;
    private final Records records;
    private final PromptRegistry registry;
    private final LiveRecords live;

    RecordsPageController(Pages pages, Records records, PromptRegistry registry, LiveRecords live) {
        this.pages = pages;
        this.records = records;
        this.registry = registry;
        this.live = live;
    }

    /** The filters of the records table, as the form sends them (every one optional). */
    record Filters(
            @Nullable String prompt,
            @Nullable Integer version,
            @Nullable String model,
            @Nullable String status,
            @Nullable String q,
            @Nullable String feedback,
            @Nullable Double minScore,
            @Nullable Double maxScore,
            @Nullable String from,
            @Nullable String to,
            @Nullable String run) {

        Records.Filter toFilter(String project) {
            return new Records.Filter(
                    project,
                    blankToNull(prompt),
                    blankToNull(prompt) == null ? null : version,
                    blankToNull(model),
                    blankToNull(status),
                    day(from, "from", 0),
                    day(to, "to", 1),
                    blankToNull(run),
                    blankToNull(q),
                    blankToNull(feedback),
                    minScore,
                    maxScore);
        }

        /** The filters as a query string ({@code ?a=b&c=d}, empty when none is set), to carry them along. */
        String query() {
            StringBuilder query = new StringBuilder();
            append(query, "prompt", prompt);
            append(query, "version", version == null || blankToNull(prompt) == null ? null : version.toString());
            append(query, "model", model);
            append(query, "status", status);
            append(query, "q", q);
            append(query, "feedback", feedback);
            append(query, "minScore", minScore == null ? null : minScore.toString());
            append(query, "maxScore", maxScore == null ? null : maxScore.toString());
            append(query, "from", from);
            append(query, "to", to);
            append(query, "run", run);
            return query.toString();
        }

        private static void append(StringBuilder query, String name, @Nullable String value) {
            if (blankToNull(value) != null) {
                query.append(query.isEmpty() ? '?' : '&')
                        .append(name)
                        .append('=')
                        .append(URLEncoder.encode(value.strip(), StandardCharsets.UTF_8));
            }
        }

        boolean any() {
            return blankToNull(prompt) != null
                    || blankToNull(model) != null
                    || blankToNull(status) != null
                    || blankToNull(q) != null
                    || blankToNull(feedback) != null
                    || minScore != null
                    || maxScore != null
                    || blankToNull(from) != null
                    || blankToNull(to) != null
                    || blankToNull(run) != null;
        }

        private static @Nullable Instant day(@Nullable String value, String name, int plusDays) {
            if (blankToNull(value) == null) {
                return null;
            }
            try {
                return LocalDate.parse(value)
                        .plusDays(plusDays)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("The '" + name + "' date is written YYYY-MM-DD, e.g. 2026-11-01.");
            }
        }
    }

    @GetMapping("/projects/{project}/records")
    String records(
            @PathVariable String project,
            @ModelAttribute("filters") Filters filters,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        ProjectRole role = pages.project(project, model, "records");
        Page<RecordView> page = records.list(filters.toFilter(role.project()), cursor, PAGE_SIZE);
        model.addAttribute("rows", RecordRow.of(page.items()));
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("firstPage", cursor == null || cursor.isEmpty());
        model.addAttribute("filtered", filters.any());
        model.addAttribute("query", filters.query());
        model.addAttribute(
                "promptNames",
                registry.prompts(role.project(), null, null, true, null, 200).items().stream()
                        .map(Prompt::name)
                        .toList());
        return "dashboard/records";
    }

    @GetMapping("/projects/{project}/records/{id}")
    String record(
            @PathVariable String project,
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String annotated,
            @RequestParam(required = false) @Nullable String next,
            Model model) {
        ProjectRole role = pages.project(project, model, "records");
        RecordView record;
        try {
            record = records.get(id);
        } catch (ApiException e) {
            throw new Pages.PageNotFoundException(
                    "Project '" + role.project() + "' has no record '" + shortened(id) + "'.");
        }
        if (!record.project().equals(role.project())) {
            throw new Pages.PageNotFoundException(
                    "Project '" + role.project() + "' has no record '" + shortened(id) + "'.");
        }
        model.addAttribute("record", record);
        model.addAttribute("messages", RecordText.messages(record.input()));
        model.addAttribute("answer", RecordText.highlight(record.output()));
        List<RecordView.Feedback> feedback = record.feedback() == null ? List.of() : record.feedback();
        model.addAttribute("feedback", feedback);
        model.addAttribute("annotated", annotated != null);
        model.addAttribute("next", "queue".equals(next) ? "queue" : "");
        return "dashboard/record";
    }

    /** New records matching the filters, as table rows, pushed as they are committed. */
    @GetMapping(path = "/projects/{project}/records/live", produces = "text/event-stream")
    SseEmitter live(@PathVariable String project, @ModelAttribute("filters") Filters filters, Model model) {
        ProjectRole role = pages.project(project, model, "records");
        Records.Filter filter = filters.toFilter(role.project());
        return live.subscribe(role, filter);
    }

    static String shortened(String id) {
        return id.length() > 40 ? id.substring(0, 40) + "…" : id;
    }

    static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
