package dev.promptforge.cli.eval;

import dev.promptforge.eval.Evaluators;
import dev.promptforge.eval.PiiDetector;
import dev.promptforge.eval.provider.PromptForgeServer;
import dev.promptforge.eval.provider.ProviderRegistry;
import dev.promptforge.eval.report.Reports;
import dev.promptforge.eval.report.TextReport;
import dev.promptforge.eval.run.DiskResponseCache;
import dev.promptforge.eval.run.ProgressListener;
import dev.promptforge.eval.run.ResponseCache;
import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.SuiteRunner;
import dev.promptforge.eval.suite.EvaluateOptions;
import dev.promptforge.eval.suite.JudgeSpec;
import dev.promptforge.eval.suite.Location;
import dev.promptforge.eval.suite.ProviderSpec;
import dev.promptforge.eval.suite.Suite;
import dev.promptforge.eval.suite.SuiteLoader;
import dev.promptforge.server.gateway.Pricing;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code promptforge eval}: runs a promptfoo-compatible suite in plain Java (no Spring), prints a
 * summary and writes the reports. Exit codes follow promptfoo: 0 when the pass rate reaches {@code
 * --pass-rate-threshold}, 100 when tests failed, 1 on a configuration or runtime error.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Run a promptfoo-compatible suite: prompts x providers x tests, graded by assertions.",
            "Exit codes: 0 all good (pass rate >= --pass-rate-threshold), 100 test failures, 1 configuration or"
                    + " runtime error."
        },
        subcommands = {CompareCommand.class})
public final class EvalCommand implements Callable<Integer> {

    /** Exit code when tests failed (promptfoo's). */
    public static final int TESTS_FAILED = 100;

    static final List<String> DEFAULT_CONFIGS =
            List.of("promptfooconfig.yaml", "promptfooconfig.yml", "promptfooconfig.json");

    /** Set by picocli; null when {@link EvalArguments} parsed the command line instead. */
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    /** Where the summary and errors go when picocli did not parse the command line. */
    PrintWriter out = EvalArguments.writer(System.out);

    PrintWriter err = EvalArguments.writer(System.err);

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "The suite (default: promptfooconfig.yaml, .yml or .json here)")
    Path config;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write results to FILE: .json, .xml (JUnit), .csv or .html; repeatable (default: the"
                    + " suite's outputPath)")
    List<Path> outputs = new ArrayList<>();

    @Option(names = "--no-cache", description = "Neither read nor write the response cache")
    boolean noCache;

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "Response cache directory (default: $PROMPTFORGE_CACHE_PATH or ~/.promptforge/cache)")
    Path cacheDir;

    @Option(names = "--repeat", paramLabel = "N", description = "Run each test N times and report its stability")
    Integer repeat;

    @Option(
            names = {"-j", "--max-concurrency"},
            paramLabel = "N",
            description = "Calls in flight per provider (default: the suite's, else 4)")
    Integer maxConcurrency;

    @Option(
            names = "--delay",
            paramLabel = "MS",
            description = "Pause after each provider call (calls become sequential)")
    Long delay;

    @Option(
            names = "--pass-rate-threshold",
            paramLabel = "PERCENT",
            defaultValue = "100",
            description = "Exit 0 when at least this share of tests passes (default: ${DEFAULT-VALUE})")
    double passRateThreshold = 100;

    @Option(names = "--no-progress-bar", description = "No progress bar, even on a terminal")
    boolean noProgressBar;

    @Option(
            names = "--grader",
            paramLabel = "PROVIDER",
            description = "The judge of model-graded assertions (default: the suite's defaultTest.options.provider)")
    String grader;

    /** The PII engine with its default recognizers; built on the first pii-leak check, then shared. */
    private static final PiiDetector PII = PiiDetector.engine();

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Run every call through this PromptForge server, whose records of the run are tagged"
                    + " with its run id (API key: $PROMPTFORGE_API_KEY); without it the run is offline")
    String server;

    @Option(
            names = "--project",
            paramLabel = "NAME",
            description = "With --server: the project the run's records belong to (required)")
    String project;

    @Option(
            names = "--run-id",
            paramLabel = "ID",
            description = "With --server: the run id that tags its records (default: eval-<time>-<random>)")
    String runId;

    /** The environment; tests replace it. */
    Map<String, String> env = System.getenv();

    private static final Location COMMAND_LINE = new Location("--grader", 0, 0);

    @Override
    public Integer call() {
        long callNanos = System.nanoTime();
        quietLogging();
        checkOptions();
        Path configFile = configFile();
        for (Path output : outputs) {
            Reports.check(output);
        }
        ProviderRegistry providers = GatewayProviders.register(ProviderRegistry.withBuiltIns(env), Pricing.load(null))
                .build();
        PromptForgeServer remote = remoteServer();
        PrintWriter out = spec != null ? spec.commandLine().getOut() : this.out;
        PrintWriter err = spec != null ? spec.commandLine().getErr() : this.err;
        SuiteLoader loader = SuiteLoader.builder()
                .providers(remote == null ? providers : ServerProviders.registry(remote, err))
                .evaluators(suiteGrader -> evaluators(providers, suiteGrader))
                .build();
        Suite suite = loader.load(configFile);
        suite = suite.withOptions(overrides(suite.options()));
        long loadedNanos = System.nanoTime();
        List<Path> targets =
                outputs.isEmpty() ? suite.outputPaths().stream().map(Path::of).toList() : outputs;
        for (Path target : targets) {
            Reports.check(target);
        }

        ProgressListener progress =
                !noProgressBar && Terminal.interactive() ? new ProgressBar(err) : ProgressListener.NONE;
        ResponseCache cache = noCache ? ResponseCache.NONE : new DiskResponseCache(cacheDirectory(env));
        RunResult run =
                SuiteRunner.builder().cache(cache).listener(progress).build().run(suite);
        long ranNanos = System.nanoTime();

        java.time.Instant finishedAt = java.time.Instant.now();
        out.print(TextReport.summary(run));
        if (remote != null) {
            out.println("Run " + remote.runId() + ": its records are at " + server.replaceAll("/+$", "")
                    + "/api/v1/records?run=" + remote.runId());
            try {
                String sent = remote.uploadRun(run, finishedAt);
                out.println("Sent the run's results to " + sent + " (the dashboard's Eval runs page shows them)");
            } catch (IllegalStateException e) {
                // The run itself went well: its records are on the server; only the summary is missing.
                err.println("Could not send the run's results to the server: " + e.getMessage());
            }
        }
        for (Path target : targets) {
            Path parent = target.toAbsolutePath().getParent();
            try {
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create " + parent + ": " + e.getMessage(), e);
            }
            Reports.write(run, target);
            out.println("Wrote " + target);
        }
        out.flush();
        if (Boolean.getBoolean("promptforge.timings")) {
            timings(err, callNanos, loadedNanos, ranNanos, System.nanoTime());
        }
        double passRate = run.summary().passRate() * 100;
        return passRate >= passRateThreshold ? 0 : TESTS_FAILED;
    }

    /**
     * The suite's evaluators: the judge is --grader, else the suite's defaultTest.options.provider;
     * an assertion's own provider makes its own judge. pii-leak asks the pii module's engine, which is
     * built only when a suite's assertion first needs it.
     */
    private Evaluators evaluators(ProviderRegistry providers, @Nullable JudgeSpec suiteGrader) {
        Judges judges = new Judges(providers);
        Evaluators.Builder builder =
                Evaluators.builder().piiDetector(PII).judgeFactory(named -> judges.judge(named, COMMAND_LINE));
        JudgeSpec judge =
                grader != null ? JudgeSpec.of(new ProviderSpec(grader, null, Map.of(), COMMAND_LINE)) : suiteGrader;
        if (judge != null) {
            builder.judge(judges.judge(judge));
        }
        return builder.build();
    }

    /** The server of --server, or null for an offline run. */
    private @Nullable PromptForgeServer remoteServer() {
        if (server == null) {
            if (project != null || runId != null) {
                throw new IllegalArgumentException("--project and --run-id go with --server");
            }
            return null;
        }
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("--server needs --project: the project the run's records belong to");
        }
        String key = env.get("PROMPTFORGE_API_KEY");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("--server needs an API key of the server in PROMPTFORGE_API_KEY");
        }
        String id = runId != null ? runId : newRunId();
        return new PromptForgeServer(server, key, project, id);
    }

    private static String newRunId() {
        String time = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        return "eval-" + time + "-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());
    }

    private void checkOptions() {
        if (passRateThreshold < 0 || passRateThreshold > 100) {
            throw new IllegalArgumentException("--pass-rate-threshold must be from 0 to 100, got " + passRateThreshold);
        }
        if (repeat != null && repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1");
        }
        if (maxConcurrency != null && maxConcurrency < 1) {
            throw new IllegalArgumentException("--max-concurrency must be at least 1");
        }
        if (delay != null && delay < 0) {
            throw new IllegalArgumentException("--delay cannot be negative");
        }
    }

    private Path configFile() {
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("no suite at " + config);
            }
            return config;
        }
        for (String name : DEFAULT_CONFIGS) {
            Path candidate = Path.of(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no suite: pass -c suite.yaml, or run where a promptfooconfig.yaml is");
    }

    private EvaluateOptions overrides(EvaluateOptions options) {
        EvaluateOptions result = options;
        if (repeat != null) {
            result = result.withRepeat(repeat);
        }
        if (maxConcurrency != null) {
            result = result.withMaxConcurrency(maxConcurrency);
        }
        if (delay != null) {
            result = result.withDelayMs(delay);
        }
        if (noCache) {
            result = result.withCache(false);
        }
        return result;
    }

    private Path cacheDirectory(Map<String, String> env) {
        if (cacheDir != null) {
            return cacheDir;
        }
        String configured = env.get("PROMPTFORGE_CACHE_PATH");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".promptforge", "cache");
    }

    /**
     * With {@code -Dpromptforge.timings=true} (e.g. in PROMPTFORGE_JAVA_OPTS): where a run's time
     * went, on stderr, for the speed harness ({@code bench/eval/run.sh}) and for profiling.
     */
    private static void timings(PrintWriter err, long call, long loaded, long ran, long done) {
        err.printf(
                "promptforge timings: load %d ms, run %d ms, summary and reports %d ms%n",
                (loaded - call) / 1_000_000, (ran - loaded) / 1_000_000, (done - ran) / 1_000_000);
        err.flush();
    }

    /** Plain commands log warnings only; serve sets up its own logging through Spring Boot. */
    static void quietLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "promptforge-cli-logback.xml");
        }
    }
}
