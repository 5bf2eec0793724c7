package dev.promptforge.server.limits;

import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.records.Records;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.SecurityEvents;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Budgets per project and per API key, checked before each provider call against counters held in
 * memory: a check is two map lookups and a few additions, never a query. The counters grow with each
 * call's tokens and cost on this instance and are re-read from the records (all instances' calls) by
 * {@link #refresh}, every {@code promptforge.budgets.refresh} (10 s by default), and whenever a UTC
 * day begins. A call is refused when what it would add (its input tokens estimated at four characters
 * a token, and their price) takes a counter over its limit.
 */
@Service
public class Budgets {

    static final String PROJECT = "project";
    static final String KEY = "key";

    /** Spending of one scope in the current UTC day and month. */
    private static final class Spend {
        final LongAdder tokensDay = new LongAdder();
        final LongAdder tokensMonth = new LongAdder();
        final DoubleAdder costDay = new DoubleAdder();
        final DoubleAdder costMonth = new DoubleAdder();

        void add(long tokens, double cost) {
            tokensDay.add(tokens);
            tokensMonth.add(tokens);
            costDay.add(cost);
            costMonth.add(cost);
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Records records;
    private final PromptRegistry registry;
    private final SecurityEvents events;
    private final Clock clock;
    private final Map<String, Budget> projectBudgets = new ConcurrentHashMap<>();
    private final Map<String, Budget> keyBudgets = new ConcurrentHashMap<>();
    private volatile Map<String, Spend> projectSpend = new ConcurrentHashMap<>();
    private volatile Map<String, Spend> keySpend = new ConcurrentHashMap<>();
    private volatile long day = Long.MIN_VALUE;

    Budgets(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            AuditLog audit,
            Records records,
            PromptRegistry registry,
            SecurityEvents events,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.records = records;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Refuses a call that would take its project or key over a budget.
     *
     * @param estimatedTokens the call's input tokens, estimated
     * @param estimatedCost their price, 0 when unknown
     * @throws ApiException 429 naming the budget, with {@code Retry-After} until it resets
     */
    public void check(String projectId, @Nullable String keyId, long estimatedTokens, double estimatedCost) {
        if (projectBudgets.isEmpty() && keyBudgets.isEmpty()) {
            return;
        }
        rollOver();
        Budget project = projectBudgets.get(projectId);
        if (project != null) {
            check(PROJECT, projectId, projectId, project, projectSpend.get(projectId), estimatedTokens, estimatedCost);
        }
        if (keyId != null) {
            Budget key = keyBudgets.get(keyId);
            if (key != null) {
                check(KEY, keyId, projectId, key, keySpend.get(keyId), estimatedTokens, estimatedCost);
            }
        }
    }

    /** Adds a finished call's tokens and cost to its project's and key's counters. */
    public void spent(String projectId, @Nullable String keyId, long tokens, @Nullable Double cost) {
        double price = cost == null ? 0 : cost;
        projectSpend.computeIfAbsent(projectId, id -> new Spend()).add(tokens, price);
        if (keyId != null) {
            keySpend.computeIfAbsent(keyId, id -> new Spend()).add(tokens, price);
        }
    }

    private void check(
            String scope, String id, String projectId, Budget budget, @Nullable Spend spend, long tokens, double cost) {
        long tokensDay = spend == null ? 0 : spend.tokensDay.sum();
        long tokensMonth = spend == null ? 0 : spend.tokensMonth.sum();
        double costDay = spend == null ? 0 : spend.costDay.sum();
        double costMonth = spend == null ? 0 : spend.costMonth.sum();
        if (budget.tokensPerDay() != null && tokensDay + tokens > budget.tokensPerDay()) {
            throw refused(
                    scope,
                    id,
                    projectId,
                    "tokensPerDay",
                    tokensDay + " of " + budget.tokensPerDay() + " tokens today",
                    false);
        }
        if (budget.tokensPerMonth() != null && tokensMonth + tokens > budget.tokensPerMonth()) {
            throw refused(
                    scope,
                    id,
                    projectId,
                    "tokensPerMonth",
                    tokensMonth + " of " + budget.tokensPerMonth() + " tokens this month",
                    true);
        }
        if (budget.costPerDay() != null && costDay + cost > budget.costPerDay()) {
            throw refused(
                    scope,
                    id,
                    projectId,
                    "costPerDay",
                    money(costDay) + " of " + money(budget.costPerDay()) + " USD today",
                    false);
        }
        if (budget.costPerMonth() != null && costMonth + cost > budget.costPerMonth()) {
            throw refused(
                    scope,
                    id,
                    projectId,
                    "costPerMonth",
                    money(costMonth) + " of " + money(budget.costPerMonth()) + " USD this month",
                    true);
        }
    }

    private static String money(double value) {
        return String.format(java.util.Locale.ROOT, "%.4f", value);
    }

    private ApiException refused(
            String scope, String id, String projectId, String limit, String used, boolean monthly) {
        LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(clock.millis(), 86_400_000L));
        LocalDate reset = monthly ? today.withDayOfMonth(1).plusMonths(1) : today.plusDays(1);
        Instant resetAt = reset.atStartOfDay(ZoneOffset.UTC).toInstant();
        long retryAfter = Math.max(1, (resetAt.toEpochMilli() - clock.millis() + 999) / 1000);
        String project = registry.projectById(projectId).name();
        String who = PROJECT.equals(scope) ? "Project '" + project + "'" : "API key " + id;
        String where = PROJECT.equals(scope)
                ? "PUT /api/v1/projects/" + project + "/budget"
                : "PUT /api/v1/projects/" + project + "/keys/" + id + "/budget";
        events.record(SecurityEvents.Type.BUDGET_EXCEEDED, scope + " " + id + " would exceed " + limit);
        return new ApiException(
                        HttpStatus.TOO_MANY_REQUESTS,
                        "Budget exceeded",
                        who + " has used " + used + "; this call would go over its " + limit
                                + " budget, so it was not sent to the provider. The budget resets at " + resetAt
                                + "; raise it with " + where + ".")
                .withHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter))
                .withProperty("budget", scope + "." + limit)
                .withProperty("resetsAt", resetAt.toString());
    }

    /** When a UTC day begins (on this instance's clock), the counters are re-read. */
    private void rollOver() {
        long today = Math.floorDiv(clock.millis(), 86_400_000L);
        if (today != day) {
            synchronized (this) {
                if (today != day) {
                    refresh();
                }
            }
        }
    }

    /** Re-reads the budgets and what was spent this day and month from the database. */
    @Scheduled(fixedDelayString = "${promptforge.budgets.refresh:10s}", initialDelayString = "0s")
    public synchronized void refresh() {
        long now = clock.millis();
        long today = Math.floorDiv(now, 86_400_000L);
        List<Object[]> rows = new ArrayList<>();
        Map<String, Budget> projects = new ConcurrentHashMap<>();
        Map<String, Budget> keys = new ConcurrentHashMap<>();
        jdbc.sql("SELECT * FROM budgets").query(rs -> {
            Budget budget = new Budget(
                    nullableLong(rs, "tokens_per_day"),
                    nullableLong(rs, "tokens_per_month"),
                    nullableDouble(rs, "cost_per_day"),
                    nullableDouble(rs, "cost_per_month"));
            (PROJECT.equals(rs.getString("scope")) ? projects : keys).put(rs.getString("scope_id"), budget);
            rows.add(null);
        });
        Map<String, Spend> projectSpending = new ConcurrentHashMap<>();
        Map<String, Spend> keySpending = new ConcurrentHashMap<>();
        if (!rows.isEmpty()) {
            LocalDate date = LocalDate.ofEpochDay(today);
            Instant dayStart = date.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant monthStart =
                    date.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            load(records.spentSince(dayStart, false), records.spentSince(monthStart, false), projectSpending);
            load(records.spentSince(dayStart, true), records.spentSince(monthStart, true), keySpending);
        }
        projectBudgets.keySet().retainAll(projects.keySet());
        projectBudgets.putAll(projects);
        keyBudgets.keySet().retainAll(keys.keySet());
        keyBudgets.putAll(keys);
        projectSpend = projectSpending;
        keySpend = keySpending;
        day = today;
    }

    private static void load(
            Map<String, Records.Spent> day, Map<String, Records.Spent> month, Map<String, Spend> into) {
        month.forEach((id, spent) -> {
            Spend spend = into.computeIfAbsent(id, k -> new Spend());
            spend.tokensMonth.add(spent.tokens());
            spend.costMonth.add(spent.cost());
        });
        day.forEach((id, spent) -> {
            Spend spend = into.computeIfAbsent(id, k -> new Spend());
            spend.tokensDay.add(spent.tokens());
            spend.costDay.add(spent.cost());
        });
    }

    /** The budget of a project or key as stored. */
    Optional<Budget> stored(String scope, String id) {
        return jdbc.sql("SELECT * FROM budgets WHERE scope = :scope AND scope_id = :id")
                .param("scope", scope)
                .param("id", id)
                .query((rs, i) -> new Budget(
                        nullableLong(rs, "tokens_per_day"),
                        nullableLong(rs, "tokens_per_month"),
                        nullableDouble(rs, "cost_per_day"),
                        nullableDouble(rs, "cost_per_month")))
                .optional();
    }

    /** Sets (or, when every limit is null, removes) a budget, audited in the same transaction. */
    Budget save(Project project, String scope, String id, String target, Budget budget) {
        Budget saved = transactions.execute(status -> {
            Budget before = stored(scope, id).orElse(null);
            jdbc.sql("DELETE FROM budgets WHERE scope = :scope AND scope_id = :id")
                    .param("scope", scope)
                    .param("id", id)
                    .update();
            if (!budget.isEmpty()) {
                jdbc.sql("""
                                INSERT INTO budgets (scope, scope_id, project_id, tokens_per_day, tokens_per_month,
                                                     cost_per_day, cost_per_month, updated_by, updated_at)
                                VALUES (:scope, :id, :project, :tokensDay, :tokensMonth, :costDay, :costMonth,
                                        :by, :at)
                                """)
                        .param("scope", scope)
                        .param("id", id)
                        .param("project", project.id())
                        .param("tokensDay", budget.tokensPerDay())
                        .param("tokensMonth", budget.tokensPerMonth())
                        .param("costDay", budget.costPerDay())
                        .param("costMonth", budget.costPerMonth())
                        .param("by", Actors.current())
                        .param("at", clock.millis())
                        .update();
            }
            audit.append("budget.set", target, before, budget.isEmpty() ? null : budget);
            return budget;
        });
        refresh();
        return saved;
    }

    private static @Nullable Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static @Nullable Double nullableDouble(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
