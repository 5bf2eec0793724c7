package dev.promptforge.server.ops;

import dev.promptforge.server.support.SqliteTestDatabase;
import org.springframework.test.context.ContextConfiguration;

@ContextConfiguration(initializers = SqliteTestDatabase.class)
class SqliteApiBasicsTest extends ApiBasicsTests {}
