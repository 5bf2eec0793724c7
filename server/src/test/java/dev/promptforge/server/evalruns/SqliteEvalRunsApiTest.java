package dev.promptforge.server.evalruns;

import dev.promptforge.server.support.SqliteTestDatabase;
import org.springframework.test.context.ContextConfiguration;

@ContextConfiguration(initializers = SqliteTestDatabase.class)
class SqliteEvalRunsApiTest extends EvalRunsApiTests {}
