package dev.promptforge.eval.run;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.ProviderResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A provider that answers with a function of the request and counts its calls. */
final class ScriptedProvider implements EvalProvider {

    private final String id;
    private final Function<ProviderRequest, ProviderResponse> script;
    final List<ProviderRequest> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    ScriptedProvider(String id, Function<ProviderRequest, ProviderResponse> script) {
        this.id = id;
        this.script = script;
    }

    /** Answers with the prompt itself. */
    static ScriptedProvider echo(String id) {
        return new ScriptedProvider(id, request -> ProviderResponse.of(request.prompt()));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        requests.add(request);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            return script.apply(request);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    int calls() {
        return requests.size();
    }
}
