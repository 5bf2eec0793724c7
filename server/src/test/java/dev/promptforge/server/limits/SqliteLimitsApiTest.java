package dev.promptforge.server.limits;

import dev.promptforge.server.support.SqliteTestDatabase;
import org.springframework.test.context.ContextConfiguration;

@ContextConfiguration(initializers = SqliteTestDatabase.class)
class SqliteLimitsApiTest extends LimitsApiTests {}
