package dev.promptforge.server.dashboard;

import dev.promptforge.server.records.AnnotationQueue;
import dev.promptforge.server.records.RecordView;
import dev.promptforge.server.records.Records;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import dev.promptforge.server.shared.ApiException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

/** A person's annotation of a record (thumbs up/down or a score, and a comment), and the queue to review. */
@Controller
class AnnotationsPageController {

    static final int QUEUE_SIZE = 50;
    static final int MAX_COMMENT = 2_000;

    /** The name of a person's feedback. */
    static final String HUMAN = "human";

    /** The queue's size is counted up to this many records; above it, the page says "more than". */
    static final int COUNT_CAP = 10_000;

    private final Pages pages;
    private final Records records;
    private final AnnotationQueue queue;

    AnnotationsPageController(Pages pages, Records records, AnnotationQueue queue) {
        this.pages = pages;
        this.records = records;
        this.queue = queue;
    }

    @GetMapping("/projects/{project}/annotations")
    String queue(@PathVariable String project, Model model) {
        ProjectRole role = pages.project(project, model, "annotations");
        model.addAttribute("items", queue.pending(role.project(), QUEUE_SIZE));
        long pending = queue.count(role.project(), COUNT_CAP);
        model.addAttribute("pending", pending);
        model.addAttribute(
                "pendingText",
                pending > COUNT_CAP
                        ? "more than " + String.format(java.util.Locale.ROOT, "%,d", COUNT_CAP) + " records to review"
                        : pending + (pending == 1 ? " record" : " records") + " to review");
        return "dashboard/annotations";
    }

    @PostMapping("/projects/{project}/records/{id}/annotations")
    String annotate(
            @PathVariable String project,
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String verdict,
            @RequestParam(required = false) @Nullable String score,
            @RequestParam(required = false) @Nullable String comment,
            @RequestParam(required = false) @Nullable String next,
            Model model) {
        ProjectRole role = pages.project(project, model, "records");
        Pages.requireWrite(role);
        RecordView record = recordOf(role, id);
        double value = value(verdict, score);
        String reason = RecordsPageController.blankToNull(comment);
        if (reason != null && reason.length() > MAX_COMMENT) {
            throw ApiException.badRequest("A comment may have at most " + MAX_COMMENT + " characters.");
        }
        records.addFeedback(
                record.id(),
                HUMAN,
                value,
                null,
                reason,
                "human",
                null,
                pages.user().username());
        String base = "/projects/" + UriUtils.encodePathSegment(role.project(), StandardCharsets.UTF_8);
        if ("queue".equals(next)) {
            return "redirect:" + base + "/annotations?annotated=" + record.id();
        }
        return "redirect:" + base + "/records/" + record.id() + "?annotated#feedback";
    }

    private RecordView recordOf(ProjectRole role, String id) {
        try {
            RecordView record = records.get(id);
            if (record.project().equals(role.project())) {
                return record;
            }
        } catch (ApiException e) {
            // not found: the same answer as a record of another project
        }
        throw new Pages.PageNotFoundException("Project '" + role.project() + "' has no record with this id.");
    }

    /** Thumbs up is 1, thumbs down 0, a score is a number from 0 to 1. */
    static double value(@Nullable String verdict, @Nullable String score) {
        if ("up".equals(verdict)) {
            return 1;
        }
        if ("down".equals(verdict)) {
            return 0;
        }
        if (!"score".equals(verdict)) {
            throw ApiException.badRequest("Choose thumbs up, thumbs down or a score.");
        }
        String text = RecordsPageController.blankToNull(score);
        if (text == null) {
            throw ApiException.badRequest("Enter a score from 0 to 1, e.g. 0.75.");
        }
        try {
            double value = Double.parseDouble(text);
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("A score is a number from 0 to 1, e.g. 0.75.");
    }
}
