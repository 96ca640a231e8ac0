package io.steward.agent.reload;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP as the request to reload, as daemons take it. Uses {@code sun.misc.Signal} (module {@code jdk.unsupported},
 * which a trimmed runtime must include): the JDK has no supported API for signals. Without a handler the JVM would
 * treat SIGHUP as a request to stop.
 */
public final class HangupSignal {
    private HangupSignal() {}

    /** How the installation went. */
    public enum Installed {
        /** SIGHUP now reloads. */
        YES,
        /**
         * The process was started with SIGHUP ignored ({@code nohup}, or a parent that ignores it): the JVM leaves it
         * ignored, so only file changes reload.
         */
        IGNORED_BY_PARENT,
        /** The JVM keeps SIGHUP for itself ({@code -Xrs}) or the platform has none. */
        UNAVAILABLE
    }

    /** Makes SIGHUP run {@code onHangup} (on a thread of the JDK's, so it should only hand the work on). */
    public static Installed install(Runnable onHangup) {
        SignalHandler previous;
        try {
            previous = Signal.handle(new Signal("HUP"), signal -> onHangup.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return Installed.UNAVAILABLE;
        }
        return previous == SignalHandler.SIG_IGN ? Installed.IGNORED_BY_PARENT : Installed.YES;
    }
}
