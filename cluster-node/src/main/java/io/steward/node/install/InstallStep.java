package io.steward.node.install;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The steps of an SSH install, in order: a failure names the one it happened in. */
public enum InstallStep {
    CONNECT,
    HOST_KEY,
    AUTHENTICATE,
    INSPECT,
    PRIVILEGES,
    UPLOAD,
    INSTALL,
    AGENT_REPORTS,
    DONE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
