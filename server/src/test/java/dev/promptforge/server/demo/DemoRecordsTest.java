package dev.promptforge.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.SqliteTestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * A first start with demo data: the demo project gets a few hundred records of the last days,
 * executed through the real gateway (local models, PII protection) and scored by the project's
 * evaluators, with some people's feedback.
 */
@ContextConfiguration(initializers = SqliteTestDatabase.class)
@TestPropertySource(properties = "promptforge.demo.enabled=true")
class DemoRecordsTest extends ApiTestBase {

    @Autowired
    JdbcClient jdbc;

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    @Test
    void the_demo_project_has_a_few_hundred_scored_records_over_the_last_days() {
        // when the background executions are done
        await().atMost(Duration.ofSeconds(60))
                .until(() -> count("SELECT COUNT(*) FROM records r JOIN projects p ON p.id = r.project_id"
                                + " WHERE p.name = 'demo'")
                        >= DemoRecords.COUNT);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> count("SELECT COUNT(*) FROM feedback WHERE source = 'human'") > 0);
        // then: through the gateway, with every prompt, spread over the last days
        List<Map<String, Object>> byPrompt = jdbc.sql("""
                        SELECT r.prompt_name AS prompt, COUNT(*) AS n, MIN(r.created_at) AS first,
                               MAX(r.created_at) AS last, MIN(r.endpoint) AS endpoint
                        FROM records r JOIN projects p ON p.id = r.project_id
                        WHERE p.name = 'demo' GROUP BY r.prompt_name
                        """).query().listOfRows();
        assertThat(byPrompt)
                .extracting(row -> row.get("prompt"))
                .containsExactlyInAnyOrder("customer-support", "statement-summary", "kyc-extract", "claims-triage");
        long first = byPrompt.stream()
                .mapToLong(row -> ((Number) row.get("first")).longValue())
                .min()
                .orElseThrow();
        long last = byPrompt.stream()
                .mapToLong(row -> ((Number) row.get("last")).longValue())
                .max()
                .orElseThrow();
        assertThat(Duration.ofMillis(last - first)).isGreaterThan(Duration.ofDays(2));
        assertThat(byPrompt).allSatisfy(row -> assertThat(row.get("endpoint")).isEqualTo("execute"));
        // scored by the evaluators the demo configures, and PII anonymized before the model saw it
        assertThat(count("SELECT COUNT(DISTINCT name) FROM feedback WHERE source = 'auto'"))
                .isGreaterThanOrEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM records WHERE pii_counts IS NOT NULL"))
                .isPositive();
        assertThat(count("SELECT COUNT(*) FROM records WHERE input LIKE '%maria.garcia@example.com%'"))
                .isZero();
        // ids still grow with time, so the records pages' newest-first order is the time order
        List<Long> times = jdbc.sql("SELECT created_at FROM records ORDER BY id")
                .query(Long.class)
                .list();
        assertThat(times).isSorted();
        // and the hourly rollups the overview reads follow the records to their new times
        List<Map<String, Object>> byHour = jdbc.sql("""
                        SELECT r.hour AS hour, SUM(r.requests) AS requests FROM record_rollups r
                        JOIN projects p ON p.id = r.project_id WHERE p.name = 'demo' GROUP BY r.hour
                        """).query().listOfRows();
        List<Map<String, Object>> recordsByHour = jdbc.sql("""
                        SELECT (r.created_at / 3600000) * 3600000 AS hour, COUNT(*) AS requests FROM records r
                        JOIN projects p ON p.id = r.project_id WHERE p.name = 'demo'
                        GROUP BY (r.created_at / 3600000) * 3600000
                        """).query().listOfRows();
        assertThat(byHour.size()).isGreaterThan(48);
        assertThat(asMap(byHour)).isEqualTo(asMap(recordsByHour));
    }

    private static Map<Long, Long> asMap(List<Map<String, Object>> rows) {
        Map<Long, Long> map = new java.util.TreeMap<>();
        rows.forEach(
                row -> map.put(((Number) row.get("hour")).longValue(), ((Number) row.get("requests")).longValue()));
        return map;
    }
}
