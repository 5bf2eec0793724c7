package dev.promptforge.server.registry;

/** A template that cannot be parsed or rendered; the message names the place or the variable. */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String variable;

    TemplateException(String message, String variable) {
        super(message);
        this.variable = variable;
    }

    /** The variable at fault, or null for a syntax error. */
    public String variable() {
        return variable;
    }
}
