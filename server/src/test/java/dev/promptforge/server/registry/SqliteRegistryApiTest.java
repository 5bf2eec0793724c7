package dev.promptforge.server.registry;

import dev.promptforge.server.support.SqliteTestDatabase;
import org.springframework.test.context.ContextConfiguration;

@ContextConfiguration(initializers = SqliteTestDatabase.class)
class SqliteRegistryApiTest extends RegistryApiTests {}
