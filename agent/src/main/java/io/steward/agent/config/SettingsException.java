package io.steward.agent.config;

/** The command line or config file is wrong; the message says what and how to fix it, in one line. */
public final class SettingsException extends Exception {
    public SettingsException(String message) {
        super(message);
    }
}
