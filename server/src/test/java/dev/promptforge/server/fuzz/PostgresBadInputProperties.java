package dev.promptforge.server.fuzz;

import dev.promptforge.server.support.PostgresTestDatabase;
import net.jqwik.api.Assume;
import net.jqwik.api.Tag;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** On PostgreSQL; like {@code @RequiresPostgres}, skipped outside CI when no server answers. */
@Tag("postgres")
class PostgresBadInputProperties extends BadInputProperties {

    @Override
    ApplicationContextInitializer<ConfigurableApplicationContext> database() {
        return new PostgresTestDatabase();
    }

    @Override
    Server server() {
        Assume.that("true".equalsIgnoreCase(System.getenv("CI")) || PostgresTestDatabase.available());
        return super.server();
    }
}
