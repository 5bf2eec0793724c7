package dev.promptforge.server.limits;

import dev.promptforge.server.support.PostgresTestDatabase;
import dev.promptforge.server.support.RequiresPostgres;
import org.springframework.test.context.ContextConfiguration;

@RequiresPostgres
@ContextConfiguration(initializers = PostgresTestDatabase.class)
class PostgresLimitsApiTest extends LimitsApiTests {}
