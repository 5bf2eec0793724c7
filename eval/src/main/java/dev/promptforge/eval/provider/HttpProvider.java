package dev.promptforge.eval.provider;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.ProviderCallException;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.ProviderResponse;
import dev.promptforge.eval.suite.ProviderSpec;
import dev.promptforge.eval.template.Template;
import dev.promptforge.eval.template.TemplateException;
import dev.promptforge.eval.template.Values;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * promptfoo's {@code http} provider: calls any HTTP API with a body template and reads the answer
 * with a {@code transformResponse} path.
 *
 * <p>Config: {@code url} (or the id itself, {@code https://…}), {@code method} (POST), {@code
 * headers}, {@code queryParams}, {@code body} (a map, list or text whose strings are templates over
 * the test's variables, {@code prompt} and {@code env}), {@code transformResponse}. Without a
 * transform, a JSON string answer is the output, other JSON is the output as JSON text, and a
 * non-JSON answer is the output as it is. Every template is parsed when the suite loads.
 */
final class HttpProvider implements EvalProvider {

    private static final Set<String> KEYS =
            Set.of("url", "method", "headers", "queryParams", "body", "transformResponse");
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "x-api-key", "api-key", "cookie");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final String id;
    private final Template url;
    private final String method;
    private final Map<String, Template> headers;
    private final Map<String, Template> queryParams;
    private final @Nullable Object body;
    private final @Nullable ResponsePath transform;
    private final Map<String, String> env;
    private final HttpClient client;

    HttpProvider(ProviderSpec spec, Map<String, String> env, HttpClient client) {
        this.id = spec.id();
        this.env = Map.copyOf(env);
        this.client = client;
        Map<String, Object> config = spec.config();
        for (String key : config.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' in the http provider's config (allowed: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String urlText = spec.id().startsWith("http://") || spec.id().startsWith("https://")
                ? spec.id()
                : text(config.get("url"), "url");
        if (urlText == null || urlText.isBlank()) {
            throw new IllegalArgumentException("the http provider needs config.url (or an id that is the URL)");
        }
        this.url = template(urlText, "url");
        String m = text(config.get("method"), "method");
        this.method = m == null ? "POST" : m.toUpperCase(Locale.ROOT);
        this.headers = templates(config.get("headers"), "headers");
        this.queryParams = templates(config.get("queryParams"), "queryParams");
        this.body = compileBody(config.get("body"));
        String transformText = text(config.get("transformResponse"), "transformResponse");
        this.transform = transformText == null ? null : ResponsePath.parse(transformText);
        if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
            throw new IllegalArgumentException("method must be GET, POST, PUT, PATCH or DELETE, not " + method);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Map<String, Object> cacheIdentity() {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("id", id);
        identity.put("url", url.source());
        identity.put("method", method);
        Map<String, String> shownHeaders = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                shownHeaders.put(name, value.source());
            }
        });
        identity.put("headers", shownHeaders);
        identity.put("body", Values.toText(bodySource(body)));
        identity.put("transformResponse", transform == null ? null : transform.toString());
        return identity;
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        Map<String, Object> vars = new LinkedHashMap<>(request.vars());
        vars.put("prompt", request.prompt());
        vars.put("env", env);
        String target = url.render(vars) + query(vars);
        HttpRequest.Builder http;
        try {
            http = HttpRequest.newBuilder(URI.create(target)).timeout(REQUEST_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new ProviderCallException("'" + target + "' is not a valid URL");
        }
        boolean hasContentType = false;
        for (var header : headers.entrySet()) {
            http.header(header.getKey(), header.getValue().render(vars));
            hasContentType |= header.getKey().equalsIgnoreCase("content-type");
        }
        if (body == null || method.equals("GET")) {
            http.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            Object rendered = renderBody(body, vars);
            String payload = rendered instanceof String s ? s : JSON.writeValueAsString(rendered);
            if (!hasContentType && !(rendered instanceof String)) {
                http.header("Content-Type", "application/json");
            }
            http.method(method, HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = client.send(http.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderCallException(method + " " + target + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderCallException("interrupted while calling " + target);
        }
        if (response.statusCode() / 100 != 2) {
            throw new ProviderCallException("HTTP " + response.statusCode() + " from " + method + " " + target + ": "
                    + excerpt(response.body()));
        }
        return ProviderResponse.of(output(response.body()));
    }

    private String output(String responseBody) {
        if (transform != null && transform.wantsText()) {
            return responseBody;
        }
        JsonNode json;
        try {
            json = JSON.readTree(responseBody);
        } catch (JacksonException e) {
            if (transform != null) {
                throw new ProviderCallException(
                        "transformResponse " + transform + " needs a JSON answer, got: " + excerpt(responseBody));
            }
            return responseBody;
        }
        JsonNode picked = transform == null ? json : transform.follow(json);
        if (picked == null) {
            throw new ProviderCallException(
                    "transformResponse " + transform + " finds nothing in the answer " + excerpt(responseBody));
        }
        return picked.isString() ? picked.asString() : JSON.writeValueAsString(picked);
    }

    private String query(Map<String, Object> vars) {
        if (queryParams.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        queryParams.forEach((name, value) -> pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value.render(vars), StandardCharsets.UTF_8)));
        String separator = url.source().contains("?") ? "&" : "?";
        return separator + String.join("&", pairs);
    }

    private static String excerpt(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 197) + "..." : oneLine;
    }

    private static @Nullable String text(@Nullable Object value, String key) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("'" + key + "' must be text");
    }

    private static Template template(String source, String where) {
        try {
            return Template.parse(source);
        } catch (TemplateException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static Map<String, Template> templates(@Nullable Object value, String key) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("'" + key + "' must be a map");
        }
        Map<String, Template> out = new LinkedHashMap<>();
        for (var entry : map.entrySet()) {
            out.put(
                    String.valueOf(entry.getKey()),
                    template(Values.toText(entry.getValue()), key + "." + entry.getKey()));
        }
        return out;
    }

    /** The body with every string replaced by its template. */
    private static @Nullable Object compileBody(@Nullable Object value) {
        if (value instanceof String s) {
            return template(s, "body");
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var entry : map.entrySet()) {
                out.put(String.valueOf(entry.getKey()), compileBody(entry.getValue()));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(compileBody(item));
            }
            return out;
        }
        return value;
    }

    private static @Nullable Object renderBody(@Nullable Object value, Map<String, Object> vars) {
        if (value instanceof Template t) {
            return t.render(vars);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var entry : map.entrySet()) {
                out.put(String.valueOf(entry.getKey()), renderBody(entry.getValue(), vars));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(renderBody(item, vars));
            }
            return out;
        }
        return value;
    }

    private static @Nullable Object bodySource(@Nullable Object value) {
        if (value instanceof Template t) {
            return t.source();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var entry : map.entrySet()) {
                out.put(String.valueOf(entry.getKey()), bodySource(entry.getValue()));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(HttpProvider::bodySource).toList();
        }
        return value;
    }
}
