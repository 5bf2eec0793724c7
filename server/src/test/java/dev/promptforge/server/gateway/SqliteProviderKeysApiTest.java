package dev.promptforge.server.gateway;

import dev.promptforge.server.support.SqliteTestDatabase;
import org.springframework.test.context.ContextConfiguration;

@ContextConfiguration(initializers = SqliteTestDatabase.class)
class SqliteProviderKeysApiTest extends ProviderKeysApiTests {}
