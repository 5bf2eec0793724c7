package dev.promptforge.cli.eval;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is an interactive terminal. */
final class Terminal {

    private Terminal() {}

    /**
     * {@code System.console()} is null when the output is redirected; on JDK 22 and later it is a
     * console even then, and {@code Console.isTerminal()} tells (looked up reflectively, since the
     * build targets Java 21).
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
