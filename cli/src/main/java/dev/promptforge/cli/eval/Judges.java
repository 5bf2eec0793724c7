package dev.promptforge.cli.eval;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.Judge;
import dev.promptforge.eval.provider.ProviderJudge;
import dev.promptforge.eval.provider.ProviderRegistry;
import dev.promptforge.eval.suite.JudgeSpec;
import dev.promptforge.eval.suite.Location;
import dev.promptforge.eval.suite.ProviderSpec;
import dev.promptforge.server.gateway.provider.UpstreamClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Makes the judges of model-graded assertions from what a suite names, as promptfoo does: {@code
 * openai:embedding:<model>} (or {@code openai:embeddings:<model>}) is OpenAI's embeddings endpoint,
 * {@code openai:moderation[:<model>]} its moderation endpoint (default model {@value
 * #DEFAULT_MODERATION_MODEL}), and any other id a suite provider asked for chat. A judge named per
 * kind ({@code text}, {@code embedding}, {@code moderation}) is the combination of those.
 */
final class Judges {

    static final String DEFAULT_MODERATION_MODEL = "omni-moderation-latest";

    private final ProviderRegistry providers;

    Judges(ProviderRegistry providers) {
        this.providers = requireNonNull(providers, "providers");
    }

    /**
     * The judge an assertion or suite names: a {@link JudgeSpec} from a suite, or a provider id.
     *
     * @throws IllegalArgumentException when it cannot be made
     */
    Judge judge(Object named, Location where) {
        if (named instanceof JudgeSpec spec) {
            return judge(spec);
        }
        if (named instanceof String id) {
            return judge(new ProviderSpec(id, null, Map.of(), where));
        }
        throw new IllegalArgumentException("a judge is a provider id or {text, embedding, moderation}, not " + named);
    }

    Judge judge(JudgeSpec spec) {
        if (spec.provider() != null) {
            return judge(spec.provider());
        }
        return Judge.combine(optional(spec.text()), optional(spec.embedding()), optional(spec.moderation()));
    }

    private @Nullable Judge optional(@Nullable ProviderSpec spec) {
        return spec == null ? null : judge(spec);
    }

    Judge judge(ProviderSpec spec) {
        String id = spec.id();
        if (id.startsWith("openai:embedding:") || id.startsWith("openai:embeddings:")) {
            String model = id.substring(id.indexOf(':', "openai:".length()) + 1);
            return openAi(spec, OpenAiJudge.Api.EMBEDDINGS, model);
        }
        if (id.equals("openai:moderation") || id.startsWith("openai:moderation:")) {
            String model = id.equals("openai:moderation") ? DEFAULT_MODERATION_MODEL : id.substring(18);
            return openAi(spec, OpenAiJudge.Api.MODERATIONS, model);
        }
        return new ProviderJudge(providers.resolve(spec));
    }

    private static Judge openAi(ProviderSpec spec, OpenAiJudge.Api api, String model) {
        if (model.isBlank()) {
            throw new IllegalArgumentException("'" + spec.id() + "' names no model");
        }
        GatewayProviders.Connection c = GatewayProviders.connection(spec, "openai");
        UpstreamClient upstream = new UpstreamClient(
                spec.id(), "an OpenAI-compatible API", c.url(), c.key(), c.timeout(), GatewayProviders.http());
        Map<String, Object> extra = new LinkedHashMap<>(spec.config());
        extra.keySet().removeAll(GatewayProviders.CONNECTION_KEYS);
        extra.remove("model");
        extra.remove("input");
        return new OpenAiJudge(spec.id(), api, model, extra, upstream, c.key());
    }
}
