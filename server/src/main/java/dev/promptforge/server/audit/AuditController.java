package dev.promptforge.server.audit;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/audit}: list, export and verify the audit log. A server admin's server-wide key with
 * the {@code admin} scope sees everything; a project key of an ADMIN or OWNER with the {@code admin}
 * scope lists and exports its project's entries only (target {@code project/<name>} and below; another
 * project's target is answered 404); verifying the chain, which spans every project, is for server
 * admins. Any other key gets 403. (The audit module cannot depend on security, which audits through
 * it, so it reads the authorities the key filter grants.)
 */
@RestController
@RequestMapping("/api/v1/audit")
@Tag(
        name = "Audit",
        description =
                "The tamper-evident audit log of every state change (server admins; a project's entries for its admins)")
class AuditController {

    static final String ADMIN_AUTHORITY = "SCOPE_admin";
    static final String SERVER_ADMIN_AUTHORITY = "ROLE_SERVER_ADMIN";
    static final String PROJECT_AUDIT_AUTHORITY = "PROJECT_AUDIT:";

    private final AuditQueries queries;
    private final JsonMapper json;

    AuditController(AuditQueries queries, JsonMapper json) {
        this.queries = queries;
        this.json = json;
    }

    @GetMapping
    @Operation(summary = "List audit entries, newest first; filter by actor, action, target (and below), time")
    Page<AuditEntry> list(
            @RequestParam(required = false) @Nullable String actor,
            @RequestParam(required = false) @Nullable String action,
            @RequestParam(required = false) @Nullable String target,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer limit) {
        return queries.list(filter(actor, action, scoped(target), from, to), cursor, limit);
    }

    @GetMapping("/export")
    @Operation(summary = "Export audit entries as JSON Lines (application/x-ndjson), oldest first; same filters")
    void export(
            @RequestParam(required = false) @Nullable String actor,
            @RequestParam(required = false) @Nullable String action,
            @RequestParam(required = false) @Nullable String target,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            HttpServletResponse response)
            throws IOException {
        AuditQueries.Filter filter = filter(actor, action, scoped(target), from, to);
        response.setContentType(MediaType.APPLICATION_NDJSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Content-Disposition", "attachment; filename=\"audit.jsonl\"");
        Writer out = response.getWriter();
        queries.export(filter, entry -> {
            try {
                out.write(json.writeValueAsString(entry));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        out.flush();
    }

    @GetMapping("/verify")
    @Operation(
            summary = "Re-compute the hash chain; report the first broken entry (edited, deleted, inserted, reordered)")
    AuditChain.Verification verify() {
        requireAdmin();
        return queries.verify();
    }

    private static AuditQueries.Filter filter(
            @Nullable String actor,
            @Nullable String action,
            @Nullable String target,
            @Nullable String from,
            @Nullable String to) {
        return new AuditQueries.Filter(actor, action, target, instant(from, "from"), instant(to, "to"));
    }

    /**
     * The target filter the current key may use: as given for a server admin; for a project admin,
     * their project (or a target under it).
     */
    private static @Nullable String scoped(@Nullable String target) {
        if (isServerAdmin()) {
            return target;
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String project = authentication == null
                ? null
                : authentication.getAuthorities().stream()
                        .map(a -> a.getAuthority())
                        .filter(a -> a != null && a.startsWith(PROJECT_AUDIT_AUTHORITY))
                        .map(a -> a.substring(PROJECT_AUDIT_AUTHORITY.length()))
                        .findFirst()
                        .orElse(null);
        if (project == null) {
            throw forbidden();
        }
        String own = "project/" + project;
        if (target == null || target.isBlank()) {
            return own;
        }
        String normalized = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        if (normalized.equals(own) || normalized.startsWith(own + "/")) {
            return target;
        }
        if (normalized.startsWith("project/")) {
            String other = normalized.substring("project/".length()).split("/", 2)[0];
            throw ApiException.notFound(
                    "Project '" + dev.promptforge.server.shared.Validation.abbreviate(other) + "' does not exist.");
        }
        throw forbidden();
    }

    private static boolean isServerAdmin() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null
                && authentication.getAuthorities().stream().anyMatch(a -> ADMIN_AUTHORITY.equals(a.getAuthority()))
                && authentication.getAuthorities().stream()
                        .anyMatch(a -> SERVER_ADMIN_AUTHORITY.equals(a.getAuthority()));
    }

    private static ApiException forbidden() {
        return new ApiException(
                HttpStatus.FORBIDDEN,
                "Forbidden",
                "The audit log is for server admins, and a project's entries for its ADMINs and OWNERs: use a"
                        + " key with the 'admin' scope.");
    }

    private static void requireAdmin() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        boolean admin = authentication != null
                && authentication.getAuthorities().stream().anyMatch(a -> ADMIN_AUTHORITY.equals(a.getAuthority()))
                && authentication.getAuthorities().stream()
                        .anyMatch(a -> SERVER_ADMIN_AUTHORITY.equals(a.getAuthority()));
        if (!admin) {
            throw new ApiException(
                    HttpStatus.FORBIDDEN,
                    "Forbidden",
                    "The audit log is for server admins: use a server admin's server-wide API key with the"
                            + " 'admin' scope (the bootstrap key is one).");
        }
    }

    private static @Nullable Instant instant(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Parameter '" + name + "' must be an ISO-8601 instant such as"
                    + " 2026-11-22T10:00:00Z, got '" + dev.promptforge.server.shared.Validation.abbreviate(value)
                    + "'.");
        }
    }
}
