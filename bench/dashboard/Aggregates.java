import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Times RecordStats.leaderboard (30 days, as the leaderboard page asks) straight on a database, for
 * when that page is not on the branch: p50/p95 of 20 calls after 3 warm-up calls.
 *
 * <p>java -cp "cli/target/promptforge-app/*" bench/dashboard/Aggregates.java JDBC_URL PROJECT_NAME
 */
public class Aggregates {

    public static void main(String[] args) throws Exception {
        SingleConnectionDataSource ds = new SingleConnectionDataSource(args[0], System.getenv("PGUSER"), "", true);
        JdbcClient jdbc = JdbcClient.create(ds);
        String project = jdbc.sql("SELECT id FROM projects WHERE name = ?")
                .param(args[1])
                .query(String.class)
                .single();
        Class<?> type = Class.forName("dev.promptforge.server.records.RecordStats");
        Constructor<?> constructor = type.getDeclaredConstructor(JdbcClient.class);
        constructor.setAccessible(true);
        Object stats = constructor.newInstance(jdbc);
        Method leaderboard = type.getMethod("leaderboard", String.class, Instant.class, Instant.class);
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.HOURS);
        double[] times = new double[20];
        int rows = 0;
        for (int i = -3; i < times.length; i++) {
            long started = System.nanoTime();
            rows = ((List<?>) leaderboard.invoke(stats, project, from, now)).size();
            if (i >= 0) {
                times[i] = (System.nanoTime() - started) / 1e6;
            }
        }
        Arrays.sort(times);
        System.out.printf(
                java.util.Locale.ROOT,
                "RecordStats.leaderboard over 30 days: %d rows, p50 %.1f ms, p95 %.1f ms%n",
                rows,
                times[times.length / 2 - 1],
                times[(int) Math.ceil(0.95 * times.length) - 1]);
        ds.destroy();
    }
}
