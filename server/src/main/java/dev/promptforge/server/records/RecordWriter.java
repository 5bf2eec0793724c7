package dev.promptforge.server.records;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit without a writer thread: a caller queues its record, then takes the commit lock; the
 * holder drains everything queued and commits it as one batch in one transaction. Records that
 * arrived while a commit was running are committed together by the next holder, and their callers
 * find them done when they get the lock. A lone request commits its own record at once, with no
 * hand-off to another thread; under load, many requests share one commit. The commit also adds
 * the batch to the hourly {@link RecordRollups}: one upsert per distinct key.
 */
@Component
class RecordWriter {

    static final int MAX_BATCH = 512;
    static final int QUEUE_CAPACITY = 20_000;

    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);
    private static final String INSERT = """
            INSERT INTO records (id, project_id, prompt_name, prompt_version, endpoint, provider, model, status,
                                 error_type, error_message, http_status, input, output, finish_reason, latency_ms,
                                 input_tokens, output_tokens, tokens_estimated, cost, attempts, streamed,
                                 correlation_id, trace_id, api_key_id, pii_counts, created_at, finished_at, run_id,
                                 subject_hash, injection)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String INSERT_FEEDBACK = """
            INSERT INTO feedback (id, record_id, name, value, passed, reason, source, evaluator_version, created_by,
                                  created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private record Pending(
            ExecutionRecord record, List<RecordView.Feedback> feedback, CompletableFuture<Void> committed) {}

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final ReentrantLock commitLock = new ReentrantLock();
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final DistributionSummary batchSizes;

    RecordWriter(JdbcTemplate jdbc, TransactionTemplate transactions, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.batchSizes = DistributionSummary.builder("promptforge.records.commit.batch")
                .description("Records committed together in one transaction")
                .register(meters);
    }

    /** Stores the record and returns once it is committed. */
    void write(ExecutionRecord record) {
        write(record, List.of());
    }

    /** Stores the record with its first feedback, in the same transaction; returns once committed. */
    void write(ExecutionRecord record, List<RecordView.Feedback> feedback) {
        Pending pending = new Pending(record, List.copyOf(feedback), new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw new IllegalStateException("too many records are waiting to be written; try again");
        }
        while (!pending.committed().isDone()) {
            commitLock.lock();
            try {
                if (!pending.committed().isDone()) {
                    List<Pending> batch = new ArrayList<>(Math.min(queue.size() + 1, MAX_BATCH));
                    queue.drainTo(batch, MAX_BATCH);
                    if (!batch.isEmpty()) {
                        commit(batch);
                    }
                }
            } finally {
                commitLock.unlock();
            }
        }
        try {
            pending.committed().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** Records waiting for a commit (for tests and metrics). */
    int queued() {
        return queue.size();
    }

    private void commit(List<Pending> batch) {
        try {
            List<Object[]> feedback = new ArrayList<>();
            RecordRollups.Delta rollups = new RecordRollups.Delta();
            for (Pending p : batch) {
                rollups.record(p.record());
                RecordRollups.Key key = null;
                for (RecordView.Feedback f : p.feedback()) {
                    if (key == null) {
                        ExecutionRecord r = p.record();
                        key = RecordRollups.Key.of(
                                r.projectId(),
                                r.createdAt().toEpochMilli(),
                                r.promptName(),
                                r.promptVersion(),
                                r.model());
                    }
                    rollups.feedback(key, f.name(), f.source(), f.value(), f.passed());
                    feedback.add(new Object[] {
                        f.id(),
                        p.record().id(),
                        f.name(),
                        f.value(),
                        f.passed(),
                        f.reason(),
                        f.source(),
                        f.evaluatorVersion(),
                        f.createdBy(),
                        f.createdAt().toEpochMilli()
                    });
                }
            }
            transactions.executeWithoutResult(status -> {
                jdbc.batchUpdate(INSERT, batch, batch.size(), (ps, p) -> bind(ps, p.record()));
                if (!feedback.isEmpty()) {
                    jdbc.batchUpdate(INSERT_FEEDBACK, feedback);
                }
                // one upsert per distinct rollup key of the batch, in the same transaction
                jdbc.execute((ConnectionCallback<Void>) connection -> {
                    RecordRollups.apply(connection, rollups);
                    return null;
                });
            });
            batchSizes.record(batch.size());
            batch.forEach(p -> p.committed().complete(null));
        } catch (RuntimeException e) {
            log.error("Could not commit {} records", batch.size(), e);
            batch.forEach(p -> p.committed().completeExceptionally(e));
        }
    }

    private static void bind(PreparedStatement ps, ExecutionRecord r) throws SQLException {
        int i = 1;
        ps.setString(i++, r.id());
        ps.setString(i++, r.projectId());
        ps.setString(i++, r.promptName());
        setInt(ps, i++, r.promptVersion());
        ps.setString(i++, r.endpoint());
        ps.setString(i++, r.provider());
        ps.setString(i++, r.model());
        ps.setString(i++, r.status());
        ps.setString(i++, r.errorType());
        ps.setString(i++, r.errorMessage());
        setInt(ps, i++, r.httpStatus());
        ps.setString(i++, r.inputJson());
        ps.setString(i++, r.output());
        ps.setString(i++, r.finishReason());
        ps.setDouble(i++, r.latencyMs());
        setInt(ps, i++, r.inputTokens());
        setInt(ps, i++, r.outputTokens());
        ps.setBoolean(i++, r.tokensEstimated());
        if (r.cost() == null) {
            ps.setNull(i++, Types.DOUBLE);
        } else {
            ps.setDouble(i++, r.cost());
        }
        ps.setInt(i++, r.attempts());
        ps.setBoolean(i++, r.streamed());
        ps.setString(i++, r.correlationId());
        ps.setString(i++, r.traceId());
        ps.setString(i++, r.apiKeyId());
        ps.setString(i++, r.piiCountsJson());
        ps.setLong(i++, r.createdAt().toEpochMilli());
        ps.setLong(i++, r.finishedAt().toEpochMilli());
        ps.setString(i++, r.runId());
        ps.setString(i++, r.subjectHash());
        ps.setString(i, r.injection());
    }

    private static void setInt(PreparedStatement ps, int index, @Nullable Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
