package dev.promptforge.eval.provider;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.suite.ProviderResolver;
import dev.promptforge.eval.suite.ProviderSpec;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Resolves suite provider ids through registered provider types, in registration order. Built in:
 * {@code http} (and ids that are {@code http(s)://} URLs) and {@code promptforge:…}; the CLI adds
 * the gateway's {@code local/…}, {@code openai:…} and {@code anthropic:…}.
 */
public final class ProviderRegistry implements ProviderResolver {

    private record Type(String form, Predicate<String> matches, Function<ProviderSpec, EvalProvider> factory) {}

    private final List<Type> types;

    private ProviderRegistry(List<Type> types) {
        this.types = List.copyOf(types);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder with {@code http} and {@code promptforge:} registered. Their JDK HTTP client is made
     * when the first of them is resolved, so a suite that uses neither does not pay for it.
     */
    public static Builder withBuiltIns(Map<String, String> env) {
        return withBuiltIns(env, new Supplier<>() {
            private @Nullable HttpClient client;

            @Override
            public synchronized HttpClient get() {
                if (client == null) {
                    client = HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(10))
                            .followRedirects(HttpClient.Redirect.NORMAL)
                            .build();
                }
                return client;
            }
        });
    }

    static Builder withBuiltIns(Map<String, String> env, HttpClient client) {
        return withBuiltIns(env, () -> client);
    }

    private static Builder withBuiltIns(Map<String, String> env, Supplier<HttpClient> client) {
        return builder()
                .register(
                        "http (config.url) or an http(s):// URL",
                        id -> id.equals("http")
                                || id.equals("https")
                                || id.startsWith("http://")
                                || id.startsWith("https://"),
                        spec -> new HttpProvider(spec, env, client.get()))
                .register(
                        "promptforge:<project>/<prompt>@<label>",
                        id -> id.startsWith("promptforge:"),
                        spec -> new PromptForgeProvider(spec, env, client.get()));
    }

    @Override
    public EvalProvider resolve(ProviderSpec spec) {
        for (Type type : types) {
            if (type.matches().test(spec.id())) {
                return type.factory().apply(spec);
            }
        }
        throw new IllegalArgumentException("unknown provider '" + spec.id() + "' (PromptForge knows: "
                + String.join("; ", types.stream().map(Type::form).toList()) + ")");
    }

    /** Registers provider types; the first that matches an id makes its provider. */
    public static final class Builder {
        private final List<Type> types = new ArrayList<>();

        private Builder() {}

        /**
         * @param form how the ids look, for the message about an unknown id
         * @param matches which ids this type handles
         * @param factory makes the provider; throws IllegalArgumentException for a bad config
         */
        public Builder register(String form, Predicate<String> matches, Function<ProviderSpec, EvalProvider> factory) {
            types.add(new Type(requireNonNull(form), requireNonNull(matches), requireNonNull(factory)));
            return this;
        }

        public ProviderRegistry build() {
            return new ProviderRegistry(types);
        }
    }
}
