package io.steward.node.install;

/** An install stopped in {@code step}, for the reason in the message (what the admin reads). */
final class InstallFailure extends Exception {
    private final InstallStep step;

    InstallFailure(InstallStep step, String message) {
        super(message);
        this.step = step;
    }

    InstallFailure(InstallStep step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
    }

    InstallStep step() {
        return step;
    }
}
