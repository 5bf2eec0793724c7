package dev.promptforge.server.gateway;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/models}: the configured models, OpenAI style, so an OpenAI SDK can list them. Model
 * names are {@code provider/model}. {@code POST /v1/chat/completions} is served by {@link
 * ChatCompletionsEndpoint}.
 */
@RestController
@Tag(name = "OpenAI-compatible", description = "Drop-in /v1/chat/completions and /v1/models")
class ChatCompletionsController {

    private final Providers providers;

    ChatCompletionsController(Providers providers) {
        this.providers = providers;
    }

    @GetMapping("/v1/models")
    @Operation(summary = "The configured models, OpenAI style")
    Map<String, Object> models() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (Provider provider : providers.all()) {
            for (String model : provider.models()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", provider.name() + "/" + model);
                entry.put("object", "model");
                entry.put("created", 0);
                entry.put("owned_by", provider.name());
                data.add(entry);
            }
        }
        return Map.of("object", "list", "data", data);
    }
}
