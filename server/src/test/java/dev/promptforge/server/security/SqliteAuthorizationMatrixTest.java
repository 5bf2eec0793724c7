package dev.promptforge.server.security;

import dev.promptforge.server.support.SqliteTestDatabase;
import org.springframework.test.context.ContextConfiguration;

@ContextConfiguration(initializers = SqliteTestDatabase.class)
class SqliteAuthorizationMatrixTest extends AuthorizationMatrixTests {}
