package dev.promptforge.server.evalruns;

import dev.promptforge.server.support.PostgresTestDatabase;
import dev.promptforge.server.support.RequiresPostgres;
import org.springframework.test.context.ContextConfiguration;

@RequiresPostgres
@ContextConfiguration(initializers = PostgresTestDatabase.class)
class PostgresEvalRunsApiTest extends EvalRunsApiTests {}
