package dev.promptforge.server.dashboard;

import dev.promptforge.server.security.SiteUsers.ProjectRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The site's entry: the sign-in page, and {@code /} leading to the person's first project. */
@Controller
class SiteController {

    private final Pages pages;

    SiteController(Pages pages) {
        this.pages = pages;
    }

    @GetMapping("/login")
    String login() {
        return "dashboard/login";
    }

    @GetMapping("/")
    String home(Model model) {
        List<ProjectRole> projects = pages.projects();
        if (projects.isEmpty()) {
            model.addAttribute("user", pages.user());
            model.addAttribute("projects", projects);
            return "dashboard/no-projects";
        }
        ProjectRole first = projects.stream()
                .filter(p -> p.project().equals("demo"))
                .findFirst()
                .orElse(projects.getFirst());
        return "redirect:/projects/" + URLEncoder.encode(first.project(), StandardCharsets.UTF_8);
    }
}
