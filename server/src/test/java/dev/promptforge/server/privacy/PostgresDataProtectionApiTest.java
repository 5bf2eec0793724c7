package dev.promptforge.server.privacy;

import dev.promptforge.server.support.PostgresTestDatabase;
import dev.promptforge.server.support.RequiresPostgres;
import org.springframework.test.context.ContextConfiguration;

@RequiresPostgres
@ContextConfiguration(initializers = PostgresTestDatabase.class)
class PostgresDataProtectionApiTest extends DataProtectionApiTests {}
