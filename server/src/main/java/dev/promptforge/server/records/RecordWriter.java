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
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit: callers hand a record over and wait until it is committed; one writer thread takes
 * everything queued meanwhile and commits it as one batch in one transaction. At low load a record
 * is committed alone at once; under load many requests share one commit.
 */
@Component
class RecordWriter implements SmartLifecycle {

    static final int MAX_BATCH = 512;
    static final int QUEUE_CAPACITY = 20_000;

    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);
    private static final String INSERT = """
            INSERT INTO records (id, project_id, prompt_name, prompt_version, endpoint, provider, model, status,
                                 error_type, error_message, http_status, input, output, finish_reason, latency_ms,
                                 input_tokens, output_tokens, tokens_estimated, cost, attempts, streamed,
                                 correlation_id, trace_id, api_key_id, created_at, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private record Pending(ExecutionRecord record, CompletableFuture<Void> committed) {}

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final DistributionSummary batchSizes;
    private volatile boolean running;
    private @Nullable Thread thread;

    RecordWriter(JdbcTemplate jdbc, TransactionTemplate transactions, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.batchSizes = DistributionSummary.builder("promptforge.records.commit.batch")
                .description("Records committed together in one transaction")
                .register(meters);
    }

    /** Stores the record and returns once it is committed. */
    void write(ExecutionRecord record) {
        Pending pending = new Pending(record, new CompletableFuture<>());
        try {
            if (!running || !queue.offer(pending, 5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the record writer is overloaded or stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a record", e);
        }
        try {
            pending.committed().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** Records waiting for the writer (for tests and metrics). */
    int queued() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        try {
            transactions.executeWithoutResult(
                    status -> jdbc.batchUpdate(INSERT, batch, batch.size(), (ps, p) -> bind(ps, p.record())));
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
        ps.setLong(i++, r.createdAt().toEpochMilli());
        ps.setLong(i, r.finishedAt().toEpochMilli());
    }

    private static void setInt(PreparedStatement ps, int index, @Nullable Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    @Override
    public void start() {
        running = true;
        Thread writer = new Thread(this::run, "record-writer");
        writer.setDaemon(true);
        thread = writer;
        writer.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread writer = thread;
        if (writer != null) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Stop after the web server (which stops at a higher phase first), so in-flight requests finish.
        return Integer.MIN_VALUE + 1000;
    }
}
