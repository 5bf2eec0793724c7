package dev.promptforge.server.lab;

import dev.promptforge.server.support.SqliteTestDatabase;
import org.springframework.test.context.ContextConfiguration;

@ContextConfiguration(initializers = SqliteTestDatabase.class)
class SqliteLabApiTest extends LabApiTests {}
