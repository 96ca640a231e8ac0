package io.steward.core.checks.imports;

/**
 * Thrown while converting one entry to leave it out with {@code reason}; the converter records it as skipped and goes
 * on with the next entry. Carries no stack trace: it is a verdict, not a fault.
 */
final class Skip extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Skip(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }
}
