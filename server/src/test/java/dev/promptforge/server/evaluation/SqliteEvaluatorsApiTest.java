package dev.promptforge.server.evaluation;

import dev.promptforge.server.support.SqliteTestDatabase;
import org.springframework.test.context.ContextConfiguration;

@ContextConfiguration(initializers = SqliteTestDatabase.class)
class SqliteEvaluatorsApiTest extends EvaluatorsApiTests {}
