package dev.promptforge.server.lab.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/** The progress events of the runs, to whoever listens (the SSE stream of a run). */
@Component
class RunEvents {

    /** One event: {@code stage-started}, {@code stage-finished}, {@code progress} or {@code run-finished}. */
    record Event(String type, Map<String, Object> data) {
        boolean last() {
            return type.equals("run-finished");
        }
    }

    private final Map<String, List<Consumer<Event>>> listeners = new ConcurrentHashMap<>();

    Runnable subscribe(String runId, Consumer<Event> listener) {
        listeners.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(runId, (id, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    void publish(String runId, String type, Map<String, Object> data) {
        List<Consumer<Event>> list = listeners.get(runId);
        if (list == null) {
            return;
        }
        Event event = new Event(type, data);
        for (Consumer<Event> listener : list) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                list.remove(listener);
            }
        }
    }

    Set<String> watched() {
        return Set.copyOf(listeners.keySet());
    }
}
