package dev.promptforge.server.privacy;

import dev.promptforge.server.support.SqliteTestDatabase;
import org.springframework.test.context.ContextConfiguration;

@ContextConfiguration(initializers = SqliteTestDatabase.class)
class SqliteDataProtectionApiTest extends DataProtectionApiTests {}
