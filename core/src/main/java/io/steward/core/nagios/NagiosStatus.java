package io.steward.core.nagios;

/** A plugin's verdict, with the exit code Nagios, Icinga and their kin read it from. */
public enum NagiosStatus {
    OK(0),
    WARNING(1),
    CRITICAL(2),
    UNKNOWN(3);

    private final int exitCode;

    NagiosStatus(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
