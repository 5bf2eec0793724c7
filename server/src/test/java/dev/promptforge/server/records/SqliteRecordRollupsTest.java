package dev.promptforge.server.records;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

class SqliteRecordRollupsTest extends RecordRollupsTests {

    private Path dir;
    private SingleConnectionDataSource dataSource;

    @Override
    DataSource database() throws Exception {
        dir = Files.createTempDirectory("rollups-");
        String url = "jdbc:sqlite:" + dir.resolve("records.db")
                + "?journal_mode=WAL&foreign_keys=true&busy_timeout=30000&transaction_mode=IMMEDIATE";
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration/sqlite")
                .load()
                .migrate();
        dataSource = new SingleConnectionDataSource(url, true);
        return dataSource;
    }

    @Override
    void dropDatabase() throws Exception {
        dataSource.destroy();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }
}
