package dev.promptforge.eval.run;

import dev.promptforge.eval.ProviderResponse;
import dev.promptforge.eval.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers on disk, one JSON file per request key ({@code <dir>/ab/abcdef….json}), written atomically
 * and readable by the owner only (answers may hold personal data). A file that cannot be read is a
 * miss.
 */
public final class DiskResponseCache implements ResponseCache {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;

    public DiskResponseCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    private Path file(String key) {
        if (!key.matches("[0-9a-f]{16,}")) {
            throw new IllegalArgumentException("cache keys are hex digests");
        }
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }

    @Override
    public Optional<Entry> get(String key) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            JsonNode usage = node.get("tokenUsage");
            List<Double> logProbs = null;
            if (node.hasNonNull("logProbs")) {
                logProbs = new ArrayList<>();
                for (JsonNode p : node.get("logProbs")) {
                    logProbs.add(p.asDouble());
                }
            }
            ProviderResponse response = new ProviderResponse(
                    node.get("output").asString(),
                    text(node, "finishReason"),
                    usage == null || usage.isNull()
                            ? null
                            : new TokenUsage(
                                    usage.get("prompt").asInt(),
                                    usage.get("completion").asInt(),
                                    usage.get("estimated").asBoolean()),
                    node.hasNonNull("cost") ? node.get("cost").asDouble() : null,
                    logProbs);
            Double latency =
                    node.hasNonNull("latencyMs") ? node.get("latencyMs").asDouble() : null;
            return Optional.of(new Entry(response, latency));
        } catch (JacksonException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asString() : null;
    }

    @Override
    public void put(String key, Entry entry) {
        Path file = file(key);
        Map<String, Object> json = new LinkedHashMap<>();
        ProviderResponse response = entry.response();
        json.put("output", response.output());
        json.put("finishReason", response.finishReason());
        json.put("tokenUsage", response.tokenUsage());
        json.put("cost", response.cost());
        json.put("logProbs", response.logProbs());
        json.put("latencyMs", entry.latencyMs());
        try {
            createPrivateDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), key, ".tmp");
            restrictToOwner(temp, "rw-------");
            Files.writeString(temp, JSON.writeValueAsString(json));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the response cache in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void createPrivateDirectories(Path target) throws IOException {
        for (Path d : List.of(dir, target)) {
            if (!Files.isDirectory(d)) {
                try {
                    Files.createDirectories(d);
                } catch (FileAlreadyExistsException e) {
                    // another thread made it
                }
                restrictToOwner(d, "rwx------");
            }
        }
    }

    private static void restrictToOwner(Path path, String permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }
}
