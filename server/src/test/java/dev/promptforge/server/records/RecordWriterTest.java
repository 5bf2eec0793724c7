package dev.promptforge.server.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

class RecordWriterTest {

    @TempDir
    Path dir;

    @Test
    void concurrent_records_share_one_commit_and_are_committed_when_write_returns() throws Exception {
        // given a database whose write lock another connection holds for now
        String url = "jdbc:sqlite:" + dir.resolve("records.db")
                + "?journal_mode=WAL&busy_timeout=30000&foreign_keys=true&transaction_mode=IMMEDIATE";
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration/sqlite")
                .load()
                .migrate();
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, true);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("INSERT INTO projects (id, name, created_by, created_at) VALUES ('p', 'p', 'test', 0)");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordWriter writer =
                new RecordWriter(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), meters);
        Connection blocker = DriverManager.getConnection(url);
        try (Statement s = blocker.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
        }
        // when one record is being written (and waits for the lock) while nine more arrive
        List<Future<?>> writes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            writes.add(pool.submit(() -> writer.write(record("r0"))));
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 0);
            for (int i = 1; i < 10; i++) {
                String id = "r" + i;
                writes.add(pool.submit(() -> writer.write(record(id))));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 9);
            assertThat(writes).noneMatch(Future::isDone);
            try (Statement s = blocker.createStatement()) {
                s.execute("ROLLBACK");
            }
            blocker.close();
            for (Future<?> write : writes) {
                write.get();
            }
        }
        // then every record is committed, and the nine waiting ones were committed together
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM records", Integer.class))
                .isEqualTo(10);
        var batches = meters.get("promptforge.records.commit.batch").summary();
        assertThat(batches.count()).isEqualTo(2);
        assertThat(batches.max()).isEqualTo(9);
        dataSource.destroy();
    }

    private static ExecutionRecord record(String id) {
        Instant now = Instant.now();
        return new ExecutionRecord(
                id,
                "p",
                null,
                null,
                "execute",
                "local",
                "local/echo",
                "ok",
                null,
                null,
                null,
                "[]",
                "out",
                "stop",
                1.0,
                1,
                1,
                true,
                0.0,
                1,
                false,
                null,
                null,
                null,
                "{\"EMAIL_ADDRESS\":1}",
                now,
                now,
                null,
                null,
                null);
    }
}
