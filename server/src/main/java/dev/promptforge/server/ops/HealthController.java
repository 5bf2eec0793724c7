package dev.promptforge.server.ops;

import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.DataDirectory;
import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/health}: the status of the database and the disk. Anyone may ask; the details
 * (database vendor and latency, free space) are shown only to a caller with a valid API key.
 */
@RestController
class HealthController {

    static final long MIN_FREE_BYTES = 100L * 1024 * 1024;

    private final DataSource dataSource;
    private final DataDirectory dataDirectory;

    HealthController(DataSource dataSource, DataDirectory dataDirectory) {
        this.dataSource = dataSource;
        this.dataDirectory = dataDirectory;
    }

    @GetMapping("/api/v1/health")
    @Operation(summary = "Health of the database and the disk (details only with an API key)")
    ResponseEntity<Map<String, Object>> health() {
        Map<String, Object> database = database();
        Map<String, Object> disk = disk();
        boolean up = "UP".equals(database.get("status")) && "UP".equals(disk.get("status"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        if (Actors.isAuthenticated()) {
            body.put("database", database);
            body.put("disk", disk);
        }
        return ResponseEntity.status(up ? 200 : 503).body(body);
    }

    private Map<String, Object> database() {
        Map<String, Object> result = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            boolean valid = connection.isValid(2);
            result.put("status", valid ? "UP" : "DOWN");
            result.put("vendor", connection.getMetaData().getDatabaseProductName());
            result.put("version", connection.getMetaData().getDatabaseProductVersion());
        } catch (SQLException e) {
            result.put("status", "DOWN");
            result.put("error", "cannot connect to the database");
        }
        result.put("latencyMs", (System.nanoTime() - start) / 1_000_000.0);
        return result;
    }

    private Map<String, Object> disk() {
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            var path = dataDirectory.path();
            FileStore store = Files.getFileStore(path);
            long free = store.getUsableSpace();
            result.put("status", free >= MIN_FREE_BYTES && Files.isWritable(path) ? "UP" : "DOWN");
            result.put("path", path.toString());
            result.put("freeBytes", free);
            result.put("totalBytes", store.getTotalSpace());
        } catch (IOException | RuntimeException e) {
            result.put("status", "DOWN");
            result.put("error", "cannot read the data directory");
        }
        return result;
    }
}
