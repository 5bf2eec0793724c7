package dev.promptforge.server.dashboard;

import dev.promptforge.server.records.RecordView;
import dev.promptforge.server.records.Records;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Pushes new records to open pages over Server-Sent Events. It looks for records newer than the
 * last one it saw, once a second, in the database — so records written by any process on the same
 * database (another instance, or the server when the dashboard runs as its own process) appear too.
 * Each page gets the new rows that match its own filters, rendered as table rows (event {@code
 * record}); a comment every 15 seconds keeps idle connections open.
 */
@Component
class LiveRecords implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveRecords.class);
    static final Duration POLL = Duration.ofSeconds(1);
    private static final long TIMEOUT_MS = Duration.ofMinutes(30).toMillis();
    private static final int MAX_ROWS = 50;

    private final Records records;
    private final ITemplateEngine templates;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile @Nullable ScheduledExecutorService scheduler;
    private long ticks;

    LiveRecords(Records records, ITemplateEngine templates) {
        this.records = records;
        this.templates = templates;
    }

    private static final class Subscriber {
        final ProjectRole project;
        final Records.Filter filter;
        final SseEmitter emitter;
        volatile String after;

        Subscriber(ProjectRole project, Records.Filter filter, SseEmitter emitter, String after) {
            this.project = project;
            this.filter = filter;
            this.emitter = emitter;
            this.after = after;
        }
    }

    SseEmitter subscribe(ProjectRole project, Records.Filter filter) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        Subscriber subscriber = new Subscriber(project, filter, emitter, records.newestId(project.projectId()));
        subscribers.add(subscriber);
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(e -> subscribers.remove(subscriber));
        try {
            emitter.send(SseEmitter.event().comment("connected"));
        } catch (IOException e) {
            subscribers.remove(subscriber);
        }
        return emitter;
    }

    /** One look for new records, for every project someone is watching. */
    void poll() {
        if (subscribers.isEmpty()) {
            return;
        }
        boolean heartbeat = ++ticks % 15 == 0;
        Map<String, String> seen = new HashMap<>();
        for (Subscriber subscriber : subscribers) {
            String projectId = subscriber.project.projectId();
            String latest = seen.computeIfAbsent(projectId, records::newestId);
            try {
                if (latest.compareTo(subscriber.after) > 0) {
                    List<RecordView> rows = records.newer(subscriber.filter, subscriber.after, MAX_ROWS);
                    subscriber.after = latest;
                    if (!rows.isEmpty()) {
                        subscriber.emitter.send(
                                SseEmitter.event().name("record").data(render(subscriber, rows)));
                    }
                } else if (heartbeat) {
                    subscriber.emitter.send(SseEmitter.event().comment("still here"));
                }
            } catch (IOException | IllegalStateException e) {
                subscribers.remove(subscriber);
            } catch (RuntimeException e) {
                log.warn("Could not push new records to a page of project {}", subscriber.project.project(), e);
            }
        }
    }

    private String render(Subscriber subscriber, List<RecordView> rows) {
        Context context = new Context();
        context.setVariable("rows", RecordRow.of(rows.reversed()));
        context.setVariable("project", subscriber.project);
        context.setVariable("fresh", true);
        return templates.process("dashboard/records", Set.of("rows"), context).strip();
    }

    int subscribers() {
        return subscribers.size();
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("dashboard-live").daemon(true).factory());
        scheduler = started;
        started.scheduleWithFixedDelay(
                () -> {
                    try {
                        poll();
                    } catch (RuntimeException e) {
                        log.warn("Could not look for new records", e);
                    }
                },
                POLL.toMillis(),
                POLL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = scheduler;
        if (running != null) {
            running.shutdownNow();
        }
        subscribers.forEach(s -> s.emitter.complete());
        subscribers.clear();
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService running = scheduler;
        return running != null && !running.isShutdown();
    }
}
