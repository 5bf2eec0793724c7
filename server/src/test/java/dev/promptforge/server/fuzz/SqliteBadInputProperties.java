package dev.promptforge.server.fuzz;

import dev.promptforge.server.support.SqliteTestDatabase;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

class SqliteBadInputProperties extends BadInputProperties {

    @Override
    ApplicationContextInitializer<ConfigurableApplicationContext> database() {
        return new SqliteTestDatabase();
    }
}
