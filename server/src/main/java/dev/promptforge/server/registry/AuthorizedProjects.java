package dev.promptforge.server.registry;

import dev.promptforge.server.security.Permission;
import dev.promptforge.server.security.ProjectAccess;
import org.springframework.stereotype.Component;

/**
 * A project named in a request's path, once the request's API key may do what the route needs in
 * it: the one place the project routes resolve and authorize their project.
 */
@Component
public class AuthorizedProjects {

    private final PromptRegistry registry;
    private final ProjectAccess access;

    AuthorizedProjects(PromptRegistry registry, ProjectAccess access) {
        this.registry = registry;
        this.access = access;
    }

    /**
     * The project named {@code name} when the current API key may do {@code permission} in it.
     *
     * @throws dev.promptforge.server.shared.ApiException 404 for a missing project or one the key
     *     cannot see (the same answer), 403 when its role or scopes fall short
     */
    public Project require(String name, Permission permission) {
        Project project = registry.project(name);
        access.require(project.id(), project.name(), permission);
        return project;
    }
}
