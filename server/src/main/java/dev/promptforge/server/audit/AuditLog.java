package dev.promptforge.server.audit;

import static java.util.Objects.requireNonNull;

import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Problems;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Appends entries to the audit log. Every module that changes state calls {@link #append} inside
 * the transaction of the change, so the change and its entry commit (or roll back) together. Append
 * last in the transaction: the append locks the chain's head until the transaction ends.
 *
 * <p>The source IP and correlation id come from the current request, when there is one. The before
 * and after states are stored only as hashes; pass what describes the change, never a secret.
 */
@Service
public class AuditLog {

    private final DataSource dataSource;
    private final Clock clock;

    AuditLog(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Appends an entry for the current actor (the request's user, or {@code system}). */
    public AuditEntry append(String action, String target, @Nullable Object before, @Nullable Object after) {
        return append(Actors.current(), action, target, before, after);
    }

    /**
     * Appends an entry.
     *
     * @param actor who made the change
     * @param action what happened, {@code noun.verb} (e.g. {@code project.create}, {@code label.move})
     * @param target what changed, as a path (e.g. {@code project/retail/prompt/greeting})
     * @param before the state before the change, or null when it was created
     * @param after the state after the change, or null when it was deleted
     * @throws IllegalStateException when no transaction is active
     */
    public AuditEntry append(
            String actor, String action, String target, @Nullable Object before, @Nullable Object after) {
        requireNonNull(actor, "actor");
        requireNonNull(action, "action");
        requireNonNull(target, "target");
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException(
                    "AuditLog.append must run inside the transaction of the change it records (" + action + ")");
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return AuditChain.append(
                    connection,
                    new AuditChain.NewEntry(
                            Ids.newId(clock),
                            clock.millis(),
                            actor,
                            action,
                            target,
                            sourceIp(),
                            MDC.get(Problems.REQUEST_ID),
                            AuditChain.stateHash(before),
                            AuditChain.stateHash(after)));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot append to the audit log: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private static @Nullable String sourceIp() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getRemoteAddr()
                : null;
    }
}
