package dev.candlebox.sandbox.engine;

/**
 * Why a run failed, in terms a user can act on.
 *
 * @param type      one of the constants below
 * @param line      1-based line in the user's code, when there is one
 * @param traceback the Python traceback trimmed to the user's frames, or null
 */
public record RunError(String type, String message, Integer line, String traceback) {
    public static final String SYNTAX_ERROR = "syntax_error";
    public static final String MISSING_STRATEGY = "missing_strategy";
    public static final String FORBIDDEN_IMPORT = "forbidden_import";
    /** A forbidden builtin or attribute (eval, open, __subclasses__, ...). */
    public static final String FORBIDDEN_CODE = "forbidden_code";
    public static final String RUNTIME_ERROR = "runtime_error";
    public static final String TIME_LIMIT = "time_limit";
    public static final String MEMORY_LIMIT = "memory_limit";
    public static final String OUTPUT_LIMIT = "output_limit";
    public static final String FILL_LIMIT = "fill_limit";
    public static final String WORKER_CRASHED = "worker_crashed";
    /** The request itself was unusable (no klines, bad parameters). */
    public static final String INVALID_REQUEST = "invalid_request";

    public static RunError of(String type, String message) {
        return new RunError(type, message, null, null);
    }
}
