package dev.promptforge.eval.template;

/** A template that cannot be parsed or a filter that cannot be applied; the message says where. */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    TemplateException(String message, int line, int column) {
        super(message + " (template line " + line + ", column " + column + ")");
        this.line = line;
        this.column = column;
    }

    TemplateException(String message) {
        super(message);
        this.line = 0;
        this.column = 0;
    }

    /** 1-based line inside the template, or 0 when the problem is not tied to a place. */
    public int line() {
        return line;
    }

    /** 1-based column inside the template, or 0. */
    public int column() {
        return column;
    }
}
