package dev.promptforge.server.security;

import dev.promptforge.server.support.PostgresTestDatabase;
import dev.promptforge.server.support.RequiresPostgres;
import org.springframework.test.context.ContextConfiguration;

@RequiresPostgres
@ContextConfiguration(initializers = PostgresTestDatabase.class)
class PostgresAccessApiTest extends AccessApiTests {}
