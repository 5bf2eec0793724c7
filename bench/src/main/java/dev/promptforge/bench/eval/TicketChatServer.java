package dev.promptforge.bench.eval;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake OpenAI-compatible server of the evaluation speed harness ({@code bench/eval/run.sh}).
 *
 * <p>{@code POST …/chat/completions} answers a {@code chat.completion} whose text is a pure
 * function of the last user message ({@link #answer}): prompts of the form {@code Ticket <id> from
 * <city>: …} get one of six answer styles chosen by {@code id % 6} (JSON, prose, upper case, JSON in
 * prose, a different status, a refusal), so a suite's assertions pass for some tests and fail for
 * others, the same way for every client. It binds 127.0.0.1 only; {@code GET /stats} answers the
 * number of completions served.
 *
 * <p>Usage: {@code TicketChatServer [--port N] [--port-file FILE]}.
 */
public final class TicketChatServer implements AutoCloseable {

    private static final Pattern TICKET = Pattern.compile("Ticket (\\d+) from ([^:]+):");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final LongAdder completions = new LongAdder();

    private TicketChatServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on 127.0.0.1 (port 0: a free one). */
    public static TicketChatServer start(int port) throws IOException {
        return new TicketChatServer(port);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long completions() {
        return completions.sum();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    /** The answer to a prompt: the whole rule of this fake. */
    public static String answer(String prompt) {
        Matcher m = TICKET.matcher(prompt);
        if (!m.find()) {
            return "I only answer questions about tickets.";
        }
        long id = Long.parseLong(m.group(1));
        String city = m.group(2).strip();
        return switch ((int) (id % 6)) {
            case 0 -> "{\"ticket\": " + id + ", \"city\": \"" + city + "\", \"status\": \"open\"}";
            case 1 -> "Ticket " + id + " is open in " + city + ".";
            case 2 -> ("Ticket " + id + " is open in " + city + ".").toUpperCase(java.util.Locale.ROOT);
            case 3 -> "Sure! {\"ticket\": " + id + ", \"status\": \"open\"}";
            case 4 -> "Ticket " + id + " is closed in " + city + ".";
            default -> "I cannot help with ticket " + id + ".";
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            int status = 200;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] request = in.readAllBytes();
                if (exchange.getRequestMethod().equals("POST") && path.endsWith("/chat/completions")) {
                    body = completion(request);
                    completions.increment();
                } else if (exchange.getRequestMethod().equals("GET") && path.equals("/stats")) {
                    body = ("{\"completions\":" + completions.sum() + "}").getBytes(StandardCharsets.UTF_8);
                } else {
                    status = 404;
                    body = "{\"error\":{\"message\":\"only POST /v1/chat/completions\"}}"
                            .getBytes(StandardCharsets.UTF_8);
                }
            } catch (RuntimeException e) {
                status = 400;
                body = ("{\"error\":{\"message\":\"bad request: " + e.getClass().getSimpleName() + "\"}}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] completion(byte[] request) {
        JsonNode root = JSON.readTree(request);
        String prompt = "";
        for (JsonNode message : root.path("messages")) {
            if (message.path("role").asString("").equals("user")) {
                prompt = message.path("content").asString("");
            }
        }
        String text = answer(prompt);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", text);
        message.put("refusal", null);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", "stop");
        int promptTokens = Math.max(1, prompt.length() / 4);
        int completionTokens = Math.max(1, text.length() / 4);
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        Map<String, Object> completion = new LinkedHashMap<>();
        completion.put("id", "chatcmpl-evalbench");
        completion.put("object", "chat.completion");
        completion.put("created", 1767225600);
        completion.put("model", root.path("model").asString("gpt-4o-mini"));
        completion.put("choices", List.of(choice));
        completion.put("usage", usage);
        return JSON.writeValueAsBytes(completion);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = 0;
        Path portFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--port-file" -> portFile = Path.of(args[++i]);
                default -> {
                    System.err.println("ticket chat server: unknown option " + args[i]
                            + " (usage: TicketChatServer [--port N] [--port-file FILE])");
                    System.exit(2);
                }
            }
        }
        TicketChatServer server = start(port);
        if (portFile != null) {
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(server.port()));
            Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("ticket chat server listening on http://127.0.0.1:" + server.port() + "/v1");
        Thread.currentThread().join();
    }
}
