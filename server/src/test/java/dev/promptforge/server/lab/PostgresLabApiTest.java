package dev.promptforge.server.lab;

import dev.promptforge.server.support.PostgresTestDatabase;
import dev.promptforge.server.support.RequiresPostgres;
import org.springframework.test.context.ContextConfiguration;

@RequiresPostgres
@ContextConfiguration(initializers = PostgresTestDatabase.class)
class PostgresLabApiTest extends LabApiTests {}
