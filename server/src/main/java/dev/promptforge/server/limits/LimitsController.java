package dev.promptforge.server.limits;

import dev.promptforge.server.registry.AuthorizedProjects;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.security.ProjectAccess;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Validation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Budgets of a project and of its keys, and the project's injection policy. */
@RestController
@Tag(name = "Limits", description = "Budgets and the prompt-injection policy")
class LimitsController {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    record PolicyBody(@Nullable String policy) {}

    private final Budgets budgets;
    private final InjectionPolicies policies;
    private final ProjectAccess access;
    private final AuthorizedProjects projects;

    LimitsController(Budgets budgets, InjectionPolicies policies, ProjectAccess access, AuthorizedProjects projects) {
        this.budgets = budgets;
        this.policies = policies;
        this.access = access;
        this.projects = projects;
    }

    @GetMapping("/api/v1/projects/{project}/budget")
    @Operation(summary = "The project's budget (no limits when none was set)")
    Budget projectBudget(@PathVariable String project) {
        Project p = projects.require(project, Permission.READ);
        return budgets.stored(Budgets.PROJECT, p.id()).orElse(new Budget(null, null, null, null));
    }

    @PutMapping("/api/v1/projects/{project}/budget")
    @Operation(summary = "Set the project's budget: tokens and cost per UTC day and month (null = no limit)")
    Budget setProjectBudget(@PathVariable String project, @RequestBody Budget budget) {
        Project p = projects.require(project, Permission.MANAGE_POLICIES);
        return budgets.save(p, Budgets.PROJECT, p.id(), "project/" + p.name() + "/budget", valid(budget));
    }

    @GetMapping("/api/v1/projects/{project}/keys/{keyId}/budget")
    @Operation(summary = "An API key's budget within the project")
    Budget keyBudget(@PathVariable String project, @PathVariable String keyId) {
        Project p = projects.require(project, Permission.READ);
        access.requireKeyOf(p.id(), p.name(), keyId(keyId));
        return budgets.stored(Budgets.KEY, keyId).orElse(new Budget(null, null, null, null));
    }

    @PutMapping("/api/v1/projects/{project}/keys/{keyId}/budget")
    @Operation(summary = "Set an API key's budget: tokens and cost per UTC day and month (null = no limit)")
    Budget setKeyBudget(@PathVariable String project, @PathVariable String keyId, @RequestBody Budget budget) {
        Project p = projects.require(project, Permission.MANAGE_KEYS);
        String id = keyId(keyId);
        access.requireKeyOf(p.id(), p.name(), id);
        return budgets.save(p, Budgets.KEY, id, "project/" + p.name() + "/keys/" + id + "/budget", valid(budget));
    }

    @GetMapping("/api/v1/projects/{project}/injection-policy")
    @Operation(summary = "The project's prompt-injection policy: block, flag (the default) or off")
    Map<String, String> injectionPolicy(@PathVariable String project) {
        return Map.of(
                "policy",
                policies.policy(projects.require(project, Permission.READ).id()).value());
    }

    @PutMapping("/api/v1/projects/{project}/injection-policy")
    @Operation(summary = "Set the project's prompt-injection policy: block, flag or off")
    Map<String, String> setInjectionPolicy(@PathVariable String project, @RequestBody PolicyBody body) {
        Project p = projects.require(project, Permission.MANAGE_POLICIES);
        String value = body == null ? null : body.policy();
        if (value == null || !List.of("block", "flag", "off").contains(value.toLowerCase(Locale.ROOT))) {
            throw ApiException.invalid(List.of(new ApiException.FieldError("policy", "must be block, flag or off")));
        }
        return Map.of(
                "policy",
                policies.save(p, InjectionPolicy.valueOf(value.toUpperCase(Locale.ROOT)))
                        .value());
    }

    private static String keyId(String keyId) {
        if (!KEY_ID.matcher(keyId).matches()) {
            throw ApiException.notFound("API key '" + Validation.abbreviate(keyId) + "' does not exist.");
        }
        return keyId;
    }

    private static Budget valid(@Nullable Budget budget) {
        if (budget == null) {
            throw ApiException.badRequest("A JSON object with the budget's limits is required.");
        }
        List<ApiException.FieldError> errors = new ArrayList<>();
        if (budget.tokensPerDay() != null && budget.tokensPerDay() < 0) {
            errors.add(new ApiException.FieldError("tokensPerDay", "must be 0 or more"));
        }
        if (budget.tokensPerMonth() != null && budget.tokensPerMonth() < 0) {
            errors.add(new ApiException.FieldError("tokensPerMonth", "must be 0 or more"));
        }
        if (budget.costPerDay() != null && !(budget.costPerDay() >= 0) || isInfinite(budget.costPerDay())) {
            errors.add(new ApiException.FieldError("costPerDay", "must be a finite amount, 0 or more"));
        }
        if (budget.costPerMonth() != null && !(budget.costPerMonth() >= 0) || isInfinite(budget.costPerMonth())) {
            errors.add(new ApiException.FieldError("costPerMonth", "must be a finite amount, 0 or more"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return budget;
    }

    private static boolean isInfinite(@Nullable Double value) {
        return value != null && value.isInfinite();
    }
}
