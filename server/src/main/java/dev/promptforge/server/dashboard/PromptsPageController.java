package dev.promptforge.server.dashboard;

import dev.promptforge.server.registry.Label;
import dev.promptforge.server.registry.LabelMove;
import dev.promptforge.server.registry.Prompt;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.registry.PromptVersion;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The registry browser: a project's prompts, and a prompt's versions, labels with their moves, and diffs. Read-only. */
@Controller
class PromptsPageController {

    /** The most prompts and versions a page lists. */
    static final int LIMIT = 200;

    private final Pages pages;
    private final PromptRegistry registry;

    PromptsPageController(Pages pages, PromptRegistry registry) {
        this.pages = pages;
        this.registry = registry;
    }

    /** A prompt of the list, with its labels. */
    record PromptItem(Prompt prompt, List<Label> labels) {}

    /** A label and every move it made, newest first. */
    record LabelItem(Label label, List<LabelMove> moves) {}

    /** A version as the page shows it: parameters as sorted JSON values. */
    record VersionItem(PromptVersion version, Map<String, String> parameters, List<String> labels) {}

    @GetMapping("/projects/{project}/prompts")
    String prompts(
            @PathVariable String project, @RequestParam(required = false) @Nullable String archived, Model model) {
        ProjectRole role = pages.project(project, model, "prompts");
        boolean withArchived = "true".equals(archived);
        List<PromptItem> items = new ArrayList<>();
        for (Prompt prompt : registry.prompts(role.project(), null, null, withArchived, null, LIMIT)
                .items()) {
            items.add(new PromptItem(prompt, registry.labels(role.project(), prompt.name())));
        }
        model.addAttribute("prompts", items);
        model.addAttribute("archived", withArchived);
        return "dashboard/prompts";
    }

    @GetMapping("/projects/{project}/prompts/{name}")
    String prompt(
            @PathVariable String project,
            @PathVariable String name,
            @RequestParam(required = false) @Nullable Integer from,
            @RequestParam(required = false) @Nullable Integer to,
            Model model) {
        ProjectRole role = pages.project(project, model, "prompts");
        Prompt prompt = registry.prompt(role.project(), name);
        List<Label> labels = registry.labels(role.project(), prompt.name());
        List<LabelItem> history = new ArrayList<>();
        for (Label label : labels) {
            // newest first, as the registry lists them
            history.add(new LabelItem(label, registry.labelHistory(role.project(), prompt.name(), label.name())));
        }
        List<VersionItem> versions = new ArrayList<>();
        for (PromptVersion version :
                registry.versions(role.project(), prompt.name(), null, LIMIT).items()) {
            Map<String, String> parameters = new TreeMap<>();
            version.parameters().forEach((k, v) -> parameters.put(k, Json.write(v)));
            List<String> on = labels.stream()
                    .filter(l -> l.version() == version.version())
                    .map(Label::name)
                    .toList();
            versions.add(new VersionItem(version, parameters, on));
        }
        model.addAttribute("prompt", prompt);
        model.addAttribute("labels", history);
        model.addAttribute("versions", versions);
        Integer latest = prompt.latestVersion();
        if (latest != null && latest >= 2) {
            int b = to == null ? latest : to;
            int a = from == null ? b - 1 : from;
            if (a < 1 || b < 1 || a > latest || b > latest) {
                throw ApiException.badRequest("Prompt '" + prompt.name() + "' has versions 1 to " + latest
                        + "; pick two of them to compare.");
            }
            model.addAttribute("diff", DiffView.of(registry.diff(role.project(), prompt.name(), a, b)));
            model.addAttribute(
                    "numbers", versions.stream().map(v -> v.version().version()).toList());
        }
        return "dashboard/prompt";
    }
}
