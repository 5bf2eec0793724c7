package dev.promptforge.cli.eval;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.provider.PromptForgeServer;
import dev.promptforge.eval.provider.ProviderRegistry;
import dev.promptforge.eval.suite.ProviderSpec;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The suite providers of {@code eval --server}: each call runs on the server's gateway and becomes a
 * record tagged with the run id. {@code local/<model>} runs as is, {@code openai:chat:<model>} and
 * {@code anthropic:messages:<model>} as the server's {@code openai/<model>} and {@code
 * anthropic/<model>} (its configured providers of those names), and {@code
 * promptforge:<project>/<prompt>@<label>} as the registry prompt on that server.
 */
final class ServerProviders {

    private ServerProviders() {}

    static ProviderRegistry registry(PromptForgeServer server, PrintWriter err) {
        return ProviderRegistry.builder()
                .register("promptforge:<project>/<prompt>@<label>", id -> id.startsWith("promptforge:"), server::prompt)
                .register(
                        "local/<model>",
                        id -> id.startsWith("local/"),
                        spec -> server.model(spec.id(), spec.id(), spec.config()))
                .register(
                        "openai:chat:<model>",
                        id -> id.startsWith("openai:"),
                        spec -> remote(server, spec, "openai", "chat", err))
                .register(
                        "anthropic:messages:<model>",
                        id -> id.startsWith("anthropic:"),
                        spec -> remote(server, spec, "anthropic", "messages", err))
                .register("(with --server, only these: the server's gateway runs every call)", id -> true, spec -> {
                    throw new IllegalArgumentException("with --server every call runs on the server's gateway,"
                            + " which has no provider like '" + spec.id() + "': use local/<model>,"
                            + " openai:chat:<model>, anthropic:messages:<model> or"
                            + " promptforge:<project>/<prompt>@<label>, or run without --server");
                })
                .build();
    }

    private static EvalProvider remote(
            PromptForgeServer server, ProviderSpec spec, String type, String api, PrintWriter err) {
        String[] parts = spec.id().split(":", 3);
        if (parts.length != 3 || !parts[1].equals(api) || parts[2].isBlank()) {
            throw new IllegalArgumentException(
                    "'" + spec.id() + "' is not a provider id: use " + type + ":" + api + ":<model>");
        }
        Map<String, Object> parameters = new LinkedHashMap<>(spec.config());
        boolean hadConnection = parameters.keySet().removeAll(GatewayProviders.CONNECTION_KEYS);
        String model = type + "/" + parts[2];
        if (hadConnection) {
            err.println("promptforge: note: with --server, " + spec.id() + " runs as the server's " + model
                    + "; its apiBaseUrl, apiKey and timeoutMs are the server's, not the suite's");
            err.flush();
        }
        return server.model(spec.id(), model, parameters);
    }
}
