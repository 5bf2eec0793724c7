package dev.promptforge.server.security;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * The people signed in to the site (the dashboard): who they are, which projects they see and their
 * role in each. A server admin sees every project as an {@link Role#OWNER}; anyone else sees the
 * projects they are a member of, nothing else (a page of another project answers 404).
 */
@Service
public class SiteUsers {

    private final JdbcClient jdbc;

    SiteUsers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A signed-in person. */
    public record SiteUser(String username, boolean serverAdmin) {}

    /** A project the person sees, with their role in it. */
    public record ProjectRole(
            String projectId, String project, @Nullable String description, Role role) {
        /** True when the role may change things (annotate, run), i.e. MEMBER or higher. */
        public boolean canWrite() {
            return role.includes(Permission.WRITE.role());
        }
    }

    /** The person signed in on the current request, if any. */
    public Optional<SiteUser> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null
                || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken
                || authentication.getDetails() instanceof ApiKeyPrincipal) {
            return Optional.empty();
        }
        boolean admin =
                authentication.getAuthorities().stream().anyMatch(a -> "ROLE_SERVER_ADMIN".equals(a.getAuthority()));
        return Optional.of(new SiteUser(authentication.getName(), admin));
    }

    /** The projects the person sees, by name. */
    public List<ProjectRole> projects(SiteUser user) {
        if (user.serverAdmin()) {
            return jdbc.sql("SELECT id, name, description FROM projects ORDER BY name")
                    .query((rs, i) -> new ProjectRole(
                            rs.getString("id"), rs.getString("name"), rs.getString("description"), Role.OWNER))
                    .list();
        }
        return jdbc.sql("""
                        SELECT p.id, p.name, p.description, m.role FROM projects p
                        JOIN memberships m ON m.project_id = p.id
                        JOIN users u ON u.id = m.user_id
                        WHERE u.username = :u AND u.disabled_at IS NULL ORDER BY p.name
                        """)
                .param("u", user.username())
                .query((rs, i) -> new ProjectRole(
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getString("description"),
                        Role.valueOf(rs.getString("role"))))
                .list();
    }

    /** The person's role in the project named {@code project}, empty when they do not see it. */
    public Optional<ProjectRole> project(SiteUser user, String project) {
        return projects(user).stream().filter(p -> p.project().equals(project)).findFirst();
    }
}
