package dev.promptforge.bench.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one command and measures it: wall time from start to exit, CPU time (user + system), the
 * peak resident set of its largest process (the kernel's {@code ru_maxrss}, through {@code
 * /usr/bin/time}) and the peak of the summed resident sets of its whole process tree (sampled from
 * {@code /proc} every 10 ms, so a tool that forks helpers is not under-counted).
 *
 * <p>Usage: {@code Measure --stdout FILE --stderr FILE -- COMMAND...}. Prints one line, {@code
 * wall_ms=… cpu_ms=… max_rss_kb=… tree_rss_kb=… processes=… exit=…}, and exits 0 whatever the
 * command's exit code.
 */
public final class Measure {

    private static final Path TIME = Path.of("/usr/bin/time");

    private Measure() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path stdout = null;
        Path stderr = null;
        int i = 0;
        for (; i < args.length && !args[i].equals("--"); i++) {
            switch (args[i]) {
                case "--stdout" -> stdout = Path.of(args[++i]);
                case "--stderr" -> stderr = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (stdout == null || stderr == null || i + 1 >= args.length) {
            throw new IllegalArgumentException("usage: Measure --stdout FILE --stderr FILE -- COMMAND...");
        }
        if (!Files.isExecutable(TIME)) {
            throw new IllegalStateException("/usr/bin/time is missing: apt-get install time");
        }
        Path timeFile = Files.createTempFile("measure", ".time");
        List<String> command = new ArrayList<>(List.of(TIME.toString(), "-f", "%M %U %S", "-o", timeFile.toString()));
        command.addAll(List.of(args).subList(i + 1, args.length));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));

        long started = System.nanoTime();
        Process process = builder.start();
        long treePeak = 0;
        int processes = 0;
        while (process.isAlive()) {
            long sum = 0;
            int count = 0;
            for (ProcessHandle child : process.descendants().toList()) {
                sum += rssKb(child.pid());
                count++;
            }
            treePeak = Math.max(treePeak, sum);
            processes = Math.max(processes, count);
            process.waitFor(10, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        int exit = process.waitFor();
        long wallMs = (System.nanoTime() - started) / 1_000_000;

        String[] time = Files.readString(timeFile).strip().split("\\s+");
        Files.deleteIfExists(timeFile);
        // /usr/bin/time writes "Command exited with non-zero status N" before the format line
        int n = time.length;
        long maxRss = Long.parseLong(time[n - 3]);
        long cpuMs = Math.round((Double.parseDouble(time[n - 2]) + Double.parseDouble(time[n - 1])) * 1000);
        System.out.println(String.format(
                Locale.ROOT,
                "wall_ms=%d cpu_ms=%d max_rss_kb=%d tree_rss_kb=%d processes=%d exit=%d",
                wallMs,
                cpuMs,
                maxRss,
                Math.max(treePeak, maxRss),
                processes,
                exit));
    }

    /** VmRSS of a process in kB; 0 when it is gone. */
    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between listing and reading
        }
        return 0;
    }
}
