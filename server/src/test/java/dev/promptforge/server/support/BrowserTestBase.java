package dev.promptforge.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.ContextConfiguration;

/**
 * Base of the dashboard's end-to-end tests: the real server on SQLite, driven by Debian's headless
 * Chromium through Playwright for Java (never a downloaded browser). The browser is {@code
 * PROMPTFORGE_TEST_CHROMIUM}, else {@code chromium} on the PATH; without one the tests are skipped —
 * except under {@code CI=true}, where they fail. Each test gets a fresh 1280×800 browser context; a
 * message logged as an error in the browser console, or an uncaught script error, fails the test.
 * {@link #screenshot} writes to {@code target/screenshots/}.
 */
@Tag("browser")
@ContextConfiguration(initializers = SqliteTestDatabase.class)
public abstract class BrowserTestBase extends ApiTestBase {

    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static Playwright playwright;
    private static Browser browser;

    protected BrowserContext context;
    protected Page page;
    protected final List<String> consoleErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void launch() {
        Path chromium = chromium();
        if (chromium == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(
                        "CI=true but no Chromium: install Debian's chromium (apt-get install chromium) or set"
                                + " PROMPTFORGE_TEST_CHROMIUM");
            }
            Assumptions.abort("no Chromium on this machine (apt-get install chromium); browser tests skipped");
        }
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(chromium)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run")));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        if (playwright != null) {
            playwright.close();
            playwright = null;
        }
    }

    @BeforeEach
    void openPage() {
        context = newContext(1280, 800);
        page = context.newPage();
        watch(page);
    }

    @AfterEach
    void checkConsole() {
        if (context != null) {
            context.close();
        }
        assertThat(consoleErrors).as("errors in the browser console").isEmpty();
    }

    /** A fresh browser context (its own cookies) of the given viewport. */
    protected BrowserContext newContext(int width, int height) {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
    }

    /** Fails the test on console errors and uncaught script errors of {@code target}. */
    protected void watch(Page target) {
        target.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                consoleErrors.add(message.text() + " (" + message.location() + ")");
            }
        });
        target.onPageError(error -> consoleErrors.add("uncaught: " + error));
    }

    protected String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Signs in as {@code username} on {@code target} and waits for the dashboard. */
    protected void signIn(Page target, String username, String password) {
        target.navigate(url("/login"));
        target.getByLabel("Username").fill(username);
        target.getByLabel("Password").fill(password);
        target.getByRole(
                        com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        target.waitForURL(u -> !u.contains("/login"));
    }

    protected void signInAsAdmin() {
        signIn(page, "admin", ADMIN_PASSWORD);
    }

    /** Writes a full-page screenshot of {@code target} to {@code target/screenshots/<name>.png}. */
    protected static Path screenshot(Page target, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path file = SCREENSHOTS.resolve(name + ".png");
        target.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    private static Path chromium() {
        String configured = System.getenv("PROMPTFORGE_TEST_CHROMIUM");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                candidates.add(Path.of(dir, "chromium"));
            }
        }
        candidates.add(Path.of("/usr/bin/chromium"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }
}
