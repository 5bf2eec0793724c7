package dev.promptforge.server.security;

import dev.promptforge.server.shared.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Users (server admins), project members (owners) and project API keys (admins). */
@RestController
@Tag(name = "Access", description = "Users, project members and API keys")
class AccessController {

    record NewUser(@Nullable String username, @Nullable String password) {}

    record SetRole(@Nullable String role) {}

    record NewKey(
            @Nullable String name,
            @Nullable String user,
            @Nullable List<String> scopes,
            @Nullable String expiresAt) {}

    private final Access access;
    private final ProjectAccess projects;

    AccessController(Access access, ProjectAccess projects) {
        this.access = access;
        this.projects = projects;
    }

    @PostMapping("/api/v1/users")
    @Operation(summary = "Create a user (server admins)")
    ResponseEntity<Access.User> createUser(@RequestBody NewUser request) {
        projects.requireServerAdmin();
        Access.User user = access.createUser(request.username(), request.password());
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.username()))
                .body(user);
    }

    @GetMapping("/api/v1/projects/{project}/members")
    @Operation(summary = "The project's members and their roles")
    List<Access.Member> members(@PathVariable String project) {
        return access.members(authorize(project, Permission.READ));
    }

    @PutMapping("/api/v1/projects/{project}/members/{username}")
    @Operation(summary = "Add a member or change their role: OWNER, ADMIN, MEMBER or VIEWER (owners)")
    ResponseEntity<Access.Member> setMember(
            @PathVariable String project, @PathVariable String username, @RequestBody SetRole request) {
        Access.ProjectRef ref = authorize(project, Permission.MANAGE_MEMBERS);
        boolean created = access.setMember(ref, username, request.role());
        Access.Member member = access.members(ref).stream()
                .filter(m -> m.username().equals(username))
                .findFirst()
                .orElseThrow();
        return created ? ResponseEntity.status(201).body(member) : ResponseEntity.ok(member);
    }

    @DeleteMapping("/api/v1/projects/{project}/members/{username}")
    @Operation(summary = "Remove a member (owners); their keys for the project stop working")
    ResponseEntity<Void> removeMember(@PathVariable String project, @PathVariable String username) {
        access.removeMember(authorize(project, Permission.MANAGE_MEMBERS), username);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/projects/{project}/keys")
    @Operation(summary = "Create an API key for yourself or a member (admins); the key is shown only here")
    ResponseEntity<Access.CreatedKey> createKey(@PathVariable String project, @RequestBody NewKey request) {
        Access.ProjectRef ref = authorize(project, Permission.MANAGE_KEYS);
        Access.CreatedKey key = access.createKey(
                ref, Actors.current(), request.name(), request.user(), request.scopes(), request.expiresAt());
        return ResponseEntity.status(201).body(key);
    }

    @GetMapping("/api/v1/projects/{project}/keys")
    @Operation(summary = "The project's keys: prefix, name, user, scopes, last use, expiry, revocation")
    List<Access.KeyView> keys(@PathVariable String project) {
        return access.keys(authorize(project, Permission.MANAGE_KEYS));
    }

    @DeleteMapping("/api/v1/projects/{project}/keys/{id}")
    @Operation(summary = "Revoke a key: refused from the next request on")
    ResponseEntity<Void> revokeKey(@PathVariable String project, @PathVariable String id) {
        access.revokeKey(authorize(project, Permission.MANAGE_KEYS), id);
        return ResponseEntity.noContent().build();
    }

    private Access.ProjectRef authorize(String project, Permission permission) {
        Access.ProjectRef ref = access.project(project);
        projects.require(ref.id(), ref.name(), permission);
        return ref;
    }
}
