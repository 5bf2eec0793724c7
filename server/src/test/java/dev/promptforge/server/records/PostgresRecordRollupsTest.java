package dev.promptforge.server.records;

import dev.promptforge.server.support.PostgresTestDatabase;
import dev.promptforge.server.support.RequiresPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

@RequiresPostgres
class PostgresRecordRollupsTest extends RecordRollupsTests {

    private String schema;
    private SingleConnectionDataSource dataSource;

    @Override
    DataSource database() {
        schema = "pf_rollups_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String base = PostgresTestDatabase.url();
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public";
        Flyway.configure()
                .dataSource(url, PostgresTestDatabase.user(), PostgresTestDatabase.password())
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/migration/postgresql")
                .load()
                .migrate();
        dataSource =
                new SingleConnectionDataSource(url, PostgresTestDatabase.user(), PostgresTestDatabase.password(), true);
        return dataSource;
    }

    @Override
    void dropDatabase() throws Exception {
        dataSource.destroy();
        try (Connection c = DriverManager.getConnection(
                        PostgresTestDatabase.url(), PostgresTestDatabase.user(), PostgresTestDatabase.password());
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
