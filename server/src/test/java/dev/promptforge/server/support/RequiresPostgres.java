package dev.promptforge.server.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test that runs against the real PostgreSQL server. Outside CI it is skipped when no
 * server answers; under CI ({@code CI=true}) it always runs, so a missing database fails the build.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("postgres")
@ExtendWith(RequiresPostgres.Condition.class)
public @interface RequiresPostgres {

    final class Condition implements ExecutionCondition {
        private static Boolean available;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                return ConditionEvaluationResult.enabled("CI=true: PostgreSQL tests always run");
            }
            synchronized (Condition.class) {
                if (available == null) {
                    available = PostgresTestDatabase.available();
                }
            }
            return available
                    ? ConditionEvaluationResult.enabled("PostgreSQL answers at " + PostgresTestDatabase.url())
                    : ConditionEvaluationResult.disabled("No PostgreSQL at " + PostgresTestDatabase.url()
                            + " (set PROMPTFORGE_TEST_PG_URL); skipped outside CI");
        }
    }
}
