package dev.promptforge.eval;

/**
 * An assertion that could not be evaluated (no cost reported, no log probabilities, a judge that
 * failed …). The test becomes an error, not a failure, as in promptfoo.
 */
public class EvaluationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EvaluationException(String message) {
        super(message);
    }

    public EvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
