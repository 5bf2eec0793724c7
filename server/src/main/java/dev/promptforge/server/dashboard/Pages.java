package dev.promptforge.server.dashboard;

import dev.promptforge.server.security.SiteUsers;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import dev.promptforge.server.security.SiteUsers.SiteUser;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * What every page needs: the signed-in person, the projects they see (the header's switcher) and
 * their role in the page's project. A project the person does not see is a 404, like one that does
 * not exist.
 */
@Component
class Pages {

    private final SiteUsers users;

    Pages(SiteUsers users) {
        this.users = users;
    }

    SiteUser user() {
        return users.current().orElseThrow(() -> new PageNotFoundException("Sign in to see the dashboard."));
    }

    List<ProjectRole> projects() {
        return users.projects(user());
    }

    /** Resolves the page's project for the signed-in person and fills the layout's model. */
    ProjectRole project(String name, Model model, String page) {
        SiteUser user = user();
        List<ProjectRole> projects = users.projects(user);
        ProjectRole project = projects.stream()
                .filter(p -> p.project().equals(name))
                .findFirst()
                .orElseThrow(() -> new PageNotFoundException("There is no project '" + name + "' you can see."));
        model.addAttribute("user", user);
        model.addAttribute("projects", projects);
        model.addAttribute("project", project);
        model.addAttribute("canWrite", project.canWrite());
        model.addAttribute("page", page);
        return project;
    }

    /** Refuses a change by someone whose role only lets them read (a VIEWER). */
    static void requireWrite(ProjectRole project) {
        if (!project.canWrite()) {
            throw new PageForbiddenException("Your role in project '" + project.project() + "' is " + project.role()
                    + ": it lets you read, not change. Ask an owner of the project for the MEMBER role.");
        }
    }

    /** A page that does not exist or is not visible to the person. */
    static final class PageNotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PageNotFoundException(String message) {
            super(message);
        }
    }

    /** A change the person's role does not allow. */
    static final class PageForbiddenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PageForbiddenException(String message) {
            super(message);
        }
    }
}
