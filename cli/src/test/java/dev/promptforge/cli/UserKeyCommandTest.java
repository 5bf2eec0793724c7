package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.audit.AuditChain;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code promptforge user} and {@code promptforge key} on both databases, without a server. */
class UserKeyCommandTest {

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @AfterEach
    void restore() {
        DatabaseOptions.environment = System::getenv;
        UserCommand.stdin = () -> System.in;
    }

    private int run(Map<String, String> env, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        DatabaseOptions.environment = env::get;
        CommandLine cli = PromptForgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void creates_a_user_gives_a_role_and_creates_lists_and_revokes_a_key(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, dir)) {
            // given
            try (Connection c = db.connect();
                    PreparedStatement insert = c.prepareStatement("INSERT INTO projects (id, name, created_by,"
                            + " created_at) VALUES ('p1', 'retail', 'test', 0)")) {
                insert.executeUpdate();
            }
            Map<String, String> env = new HashMap<>(db.env);
            env.put("PROMPTFORGE_USER_PASSWORD", "a long passphrase");
            // when
            int created = run(env, "user", "create", "ana");
            UserCommand.stdin = () -> new ByteArrayInputStream("another passphrase\n".getBytes(StandardCharsets.UTF_8));
            int fromStdin = run(db.env, "user", "create", "bob");
            int notMember = run(db.env, "key", "create", "--project", "retail", "--user", "ana", "--scopes", "read");
            String notMemberError = err.toString();
            int role = run(db.env, "user", "role", "ana", "MEMBER", "--project", "retail");
            int key = run(
                    db.env,
                    "key",
                    "create",
                    "--project",
                    "retail",
                    "--user",
                    "ana",
                    "--scopes",
                    "read,execute",
                    "--name",
                    "ci");
            String secret = out.toString().strip();
            int listed = run(db.env, "key", "list", "--project", "retail");
            String list = out.toString();
            String id = list.lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
            int revoked = run(db.env, "key", "revoke", id);
            String revokedOut = out.toString();
            int again = run(db.env, "key", "revoke", id);
            String againOut = out.toString();
            // then
            assertThat(List.of(created, fromStdin, role, key, listed, revoked, again))
                    .containsOnly(0);
            assertThat(notMember).isEqualTo(1);
            assertThat(notMemberError).contains("'ana' is not a member of project 'retail'");
            assertThat(secret).startsWith("pf_").hasSize(35);
            assertThat(list)
                    .contains("ci")
                    .contains("ana")
                    .contains("execute,read")
                    .doesNotContain(secret);
            assertThat(revokedOut).contains("revoked key " + id);
            assertThat(againOut).contains("already revoked");
            try (Connection c = db.connect()) {
                assertThat(column(c, "SELECT key_hash FROM api_keys WHERE id = '" + id + "'"))
                        .containsExactly(HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256")
                                        .digest(secret.getBytes(StandardCharsets.UTF_8))));
                assertThat(column(c, "SELECT password_hash FROM users WHERE username IN ('ana', 'bob')"))
                        .allSatisfy(hash -> assertThat(hash).startsWith("$argon2id$"));
                assertThat(column(c, "SELECT action FROM audit_log ORDER BY seq"))
                        .containsExactly("user.create", "user.create", "member.set", "key.create", "key.revoke");
                assertThat(AuditChain.verify(c).valid()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void refuses_bad_input_with_one_line_and_no_change(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, dir)) {
            Map<String, String> env = new HashMap<>(db.env);
            env.put("PROMPTFORGE_USER_PASSWORD", "short");
            // when
            int shortPassword = run(env, "user", "create", "ana");
            String shortError = err.toString();
            UserCommand.stdin = () -> new ByteArrayInputStream(new byte[0]);
            int noPassword = run(db.env, "user", "create", "ana");
            String noPasswordError = err.toString();
            int badScope = run(db.env, "key", "create", "--user", "ana", "--scopes", "root");
            int unknownKey = run(db.env, "key", "revoke", "nope");
            // then
            assertThat(List.of(shortPassword, noPassword, badScope, unknownKey)).containsOnly(1);
            assertThat(shortError).contains("password must be 8 to 1000 characters");
            assertThat(noPasswordError).contains("PROMPTFORGE_USER_PASSWORD");
            try (Connection c = db.connect()) {
                assertThat(column(c, "SELECT username FROM users")).isEmpty();
            }
        }
    }

    private static List<String> column(Connection c, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(sql);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
