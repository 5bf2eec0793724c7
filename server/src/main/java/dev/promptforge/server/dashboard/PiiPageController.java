package dev.promptforge.server.dashboard;

import dev.promptforge.server.privacy.PiiPlayground;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The PII playground: a pasted text's entities, highlighted, and the text anonymized under the project's policy. */
@Controller
class PiiPageController {

    private final Pages pages;
    private final PiiPlayground playground;

    PiiPageController(Pages pages, PiiPlayground playground) {
        this.pages = pages;
        this.playground = playground;
    }

    /** A piece of the pasted text: plain, or an entity with its type and score. */
    record Piece(
            String text, @Nullable String type, @Nullable Double score) {}

    @GetMapping("/projects/{project}/pii")
    String form(@PathVariable String project, Model model) {
        pages.project(project, model, "pii");
        model.addAttribute("text", "");
        model.addAttribute("maxText", PiiPlayground.MAX_TEXT);
        return "dashboard/pii";
    }

    @PostMapping("/projects/{project}/pii")
    String run(@PathVariable String project, @RequestParam(required = false) @Nullable String text, Model model) {
        ProjectRole role = pages.project(project, model, "pii");
        String input = text == null ? "" : text;
        model.addAttribute("text", input);
        model.addAttribute("maxText", PiiPlayground.MAX_TEXT);
        if (input.isBlank()) {
            model.addAttribute("problem", "Paste a text to check, e.g. an e-mail with a name and a phone number.");
            return "dashboard/pii";
        }
        if (input.length() > PiiPlayground.MAX_TEXT) {
            model.addAttribute(
                    "problem",
                    "The text has " + input.length() + " characters; the playground takes at most "
                            + PiiPlayground.MAX_TEXT + ". Paste a shorter part of it.");
            return "dashboard/pii";
        }
        PiiPlayground.Result result = playground.run(role.projectId(), input);
        model.addAttribute("result", result);
        model.addAttribute("pieces", pieces(input, result.entities()));
        model.addAttribute("anonymized", RecordText.highlight(result.anonymized()));
        return "dashboard/pii";
    }

    /** The text cut at the entities (overlapping ones after the first are left out). */
    static List<Piece> pieces(String text, List<PiiPlayground.Entity> entities) {
        List<PiiPlayground.Entity> sorted = entities.stream()
                .sorted(Comparator.comparingInt(PiiPlayground.Entity::start)
                        .thenComparing(Comparator.comparingInt(PiiPlayground.Entity::end)
                                .reversed()))
                .toList();
        List<Piece> pieces = new ArrayList<>();
        int at = 0;
        for (PiiPlayground.Entity entity : sorted) {
            if (entity.start() < at || entity.end() > text.length()) {
                continue;
            }
            if (entity.start() > at) {
                pieces.add(new Piece(text.substring(at, entity.start()), null, null));
            }
            pieces.add(new Piece(text.substring(entity.start(), entity.end()), entity.type(), entity.score()));
            at = entity.end();
        }
        if (at < text.length()) {
            pieces.add(new Piece(text.substring(at), null, null));
        }
        return pieces;
    }
}
