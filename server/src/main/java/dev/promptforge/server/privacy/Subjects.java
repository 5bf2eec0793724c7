package dev.promptforge.server.privacy;

import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.records.Records;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.shared.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * End users ("subjects") of records. A record keeps only a keyed hash of its subject's id
 * (HMAC-SHA256 under a per-project key derived from the data directory's {@code pii.key}), so the
 * id cannot be read back or guessed from the database alone; deleting a subject removes its records
 * and their feedback, and the audit log keeps the hash and the counts, never the id.
 */
@Service
public class Subjects {

    /** The longest subject id accepted. */
    public static final int MAX_LENGTH = 256;

    private final ProjectKeys keys;
    private final Records records;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Map<String, SecretKeySpec> projectKeys = new ConcurrentHashMap<>();

    Subjects(ProjectKeys keys, Records records, AuditLog audit, TransactionTemplate transactions) {
        this.keys = keys;
        this.records = records;
        this.audit = audit;
        this.transactions = transactions;
    }

    /**
     * The stored form of a subject id; null for none.
     *
     * @throws ApiException 422 naming {@code field} when the id is blank, too long or has control characters
     */
    public @Nullable String hash(String projectId, @Nullable String subject, String field) {
        if (subject == null) {
            return null;
        }
        if (subject.isBlank()
                || subject.length() > MAX_LENGTH
                || subject.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(
                    field, "must be 1 to " + MAX_LENGTH + " characters without control characters")));
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(
                    projectKeys.computeIfAbsent(projectId, id -> new SecretKeySpec(keys.subjectKey(id), "HmacSHA256")));
            return HexFormat.of().formatHex(mac.doFinal(subject.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** Deletes a subject's records and feedback; audited (hash and counts only) in the same transaction. */
    Records.Deleted delete(Project project, String subject) {
        String hash = hash(project.id(), subject, "subject");
        return transactions.execute(status -> {
            Records.Deleted deleted = records.deleteSubject(project.id(), hash);
            audit.append(
                    "subject.delete",
                    "project/" + project.name() + "/subjects/" + hash,
                    null,
                    Map.of("records", deleted.records(), "feedback", deleted.feedback()));
            return deleted;
        });
    }
}
