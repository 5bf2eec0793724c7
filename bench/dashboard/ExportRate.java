import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;

/**
 * The streaming read rate of a project's records through the records list's query (the filter
 * query of Records.list without its LIMIT, newest first), each row written as a CSV line to a
 * discarding stream: what an export streams at when its route is not there to measure.
 *
 * <p>java -cp "cli/target/promptforge-app/*" bench/dashboard/ExportRate.java JDBC_URL PROJECT_NAME
 */
public class ExportRate {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String project = args[1];
        long bytes[] = {0};
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                bytes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes[0] += len;
            }
        };
        long started = System.nanoTime();
        long rows = 0;
        try (Connection c = DriverManager.getConnection(url, System.getenv("PGUSER"), "");
                Writer out = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT r.*, p.name AS project_name FROM records r"
                    + " JOIN projects p ON p.id = r.project_id WHERE 1 = 1 AND r.project_id ="
                    + " (SELECT id FROM projects WHERE name = ?) ORDER BY r.id DESC")) {
                ps.setFetchSize(2000);
                ps.setString(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    int columns = meta.getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            if (i > 1) {
                                out.write(',');
                            }
                            String value = rs.getString(i);
                            if (value != null) {
                                out.write('"');
                                out.write(value.replace("\"", "\"\""));
                                out.write('"');
                            }
                        }
                        out.write('\n');
                        rows++;
                    }
                }
            }
            c.rollback();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                java.util.Locale.ROOT,
                "%d rows, %.1f MB of CSV in %.1f s = %.0f rows/s%n",
                rows,
                bytes[0] / 1e6,
                seconds,
                rows / seconds);
    }
}
