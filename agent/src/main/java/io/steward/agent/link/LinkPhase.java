package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * Where a {@link Link} is in its connection's life. Each phase holds exactly the data valid in it, so nothing of a
 * lost connection (its socket, its reports in flight, its timers) can leak into the next one. The link holds one
 * phase at a time and replaces it only on its serial executor.
 *
 * <pre>
 *  Disconnected ──connect──▶ Connecting ──open──▶ Handshaking ──welcome──▶ Streaming
 *       ▲                        │                     │                       │
 *       └──────────── lost ──────┴─────────────────────┴───────────────────────┘  (to the next hub: at once,
 *                                                                                   a backoff after a full round)
 *
 *  stop: Disconnected, Connecting ──▶ Stopped
 *        Handshaking, Streaming with nothing in flight ──▶ Closing ──lost──▶ Stopped
 *        Streaming with reports in flight ──▶ Draining ──last answer or grace over──▶ Closing
 * </pre>
 *
 * Each connection attempt has its own {@link Attempt}: callbacks of an earlier attempt's socket and timers find a
 * phase that is not theirs and are ignored.
 */
sealed interface LinkPhase {

    /** Whether the node welcomed the current connection and it is not lost yet (also while it drains or closes). */
    boolean connected();

    /** What a stop does in this phase. */
    StopStep onStop();

    /** The report stream of the current connection, once it was welcomed. */
    default Optional<Streaming> streaming() {
        return Optional.empty();
    }

    /** The handshake still waiting for the node's welcome, even if a stop already began closing it. */
    default Optional<Handshaking> handshaking() {
        return Optional.empty();
    }

    /** What {@link Link#stop} does, by phase. */
    enum StopStep {
        /** No socket: stopped at once (an opening socket is aborted when it opens). */
        STOP_NOW,
        /** Close the socket normally now. */
        CLOSE,
        /** Wait a grace period for the answers to reports in flight, then close. */
        DRAIN,
        /** A stop is already under way. */
        ALREADY_STOPPING
    }

    /** One connection attempt: its number, and whether its hello presented the enrollment token. */
    record Attempt(long number, boolean enrollmentToken) {
        /** The same attempt after its welcome brought a credential: the enrollment token is no longer in play. */
        Attempt enrolled() {
            return new Attempt(number, false);
        }
    }

    /** Not connected; the next attempt is {@code reconnect} (null before the first, or once timers are refused). */
    record Disconnected(ScheduledFuture<?> reconnect) implements LinkPhase {
        @Override
        public boolean connected() {
            return false;
        }

        @Override
        public StopStep onStop() {
            return StopStep.STOP_NOW;
        }
    }

    /** For good: stopped on request, or there was nothing to connect with (no credential, no token). */
    record Stopped() implements LinkPhase {
        @Override
        public boolean connected() {
            return false;
        }

        @Override
        public StopStep onStop() {
            return StopStep.STOP_NOW;
        }
    }

    /** A phase that belongs to one connection attempt. */
    sealed interface Attached extends LinkPhase permits Connecting, Open, Closing {
        Attempt attempt();

        /** Whether a stop is under way: losing the connection now ends the link instead of reconnecting. */
        boolean stopping();

        /** Lets the connection go: cancels this phase's timers and aborts its socket, if any. */
        void abandon();
    }

    /** A phase with an open socket that a stop may close. */
    sealed interface Open extends Attached permits Handshaking, Streaming, Draining {
        Connection connection();
    }

    /** The WebSocket is being opened; {@code hello} goes out once it is. */
    record Connecting(Attempt attempt, String hello) implements Attached {
        public Connecting {
            requireNonNull(attempt, "attempt is null");
            requireNonNull(hello, "hello is null");
        }

        @Override
        public boolean connected() {
            return false;
        }

        @Override
        public StopStep onStop() {
            return StopStep.STOP_NOW;
        }

        @Override
        public boolean stopping() {
            return false;
        }

        @Override
        public void abandon() {}
    }

    /** The hello is sent; the node's welcome is due before {@code timeout} fires. */
    record Handshaking(Attempt attempt, Connection connection, ScheduledFuture<?> timeout) implements Open {
        public Handshaking {
            requireNonNull(attempt, "attempt is null");
            requireNonNull(connection, "connection is null");
        }

        /** The stream this welcome opens, starting at {@code cursor}, as the {@code attempt} it now is. */
        Streaming welcomed(Attempt attempt, long cursor, ScheduledFuture<?> healthy, ScheduledFuture<?> ackCheck) {
            return new Streaming(attempt, connection, new InFlight(), cursor, Resend.NONE, healthy, ackCheck);
        }

        @Override
        public boolean connected() {
            return false;
        }

        @Override
        public StopStep onStop() {
            return StopStep.CLOSE;
        }

        @Override
        public Optional<Handshaking> handshaking() {
            return Optional.of(this);
        }

        @Override
        public boolean stopping() {
            return false;
        }

        @Override
        public void abandon() {
            Timers.cancel(timeout);
            connection.abort();
        }
    }

    /**
     * Welcomed: reports flow from {@code cursor} on, at most the window ahead of the oldest unacknowledged one.
     *
     * @param healthy resets the reconnect backoff once the connection has stayed up long enough
     * @param ackCheck checks now and then that no report waits too long for its answer
     */
    record Streaming(Attempt attempt, Connection connection, InFlight inFlight, long cursor, Resend resend,
            ScheduledFuture<?> healthy, ScheduledFuture<?> ackCheck) implements Open {
        public Streaming {
            requireNonNull(attempt, "attempt is null");
            requireNonNull(connection, "connection is null");
            requireNonNull(inFlight, "inFlight is null");
            requireNonNull(resend, "resend is null");
        }

        Streaming withCursor(long next) {
            return new Streaming(attempt, connection, inFlight, next, resend, healthy, ackCheck);
        }

        Streaming withResend(Resend next) {
            return new Streaming(attempt, connection, inFlight, cursor, next, healthy, ackCheck);
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public StopStep onStop() {
            return inFlight.isEmpty() ? StopStep.CLOSE : StopStep.DRAIN;
        }

        @Override
        public Optional<Streaming> streaming() {
            return Optional.of(this);
        }

        @Override
        public boolean stopping() {
            return false;
        }

        @Override
        public void abandon() {
            Timers.cancel(healthy);
            Timers.cancel(ackCheck);
            connection.abort();
        }
    }

    /** A stop came while reports were in flight: nothing more is sent; their answers are still recorded. */
    record Draining(Streaming stream) implements Open {
        public Draining {
            requireNonNull(stream, "stream is null");
        }

        /** Every report in flight is answered: time to close. */
        boolean drained() {
            return stream.inFlight().isEmpty();
        }

        @Override
        public Attempt attempt() {
            return stream.attempt();
        }

        @Override
        public Connection connection() {
            return stream.connection();
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public StopStep onStop() {
            return StopStep.ALREADY_STOPPING;
        }

        @Override
        public Optional<Streaming> streaming() {
            return Optional.of(stream);
        }

        @Override
        public boolean stopping() {
            return true;
        }

        @Override
        public void abandon() {
            stream.abandon();
        }
    }

    /**
     * The close frame is on its way (after any frame being written) and the node's close reply will end the
     * connection. {@code from} is the phase the close began in: a welcome that arrives meanwhile is still kept (the
     * credential it may carry is saved), which makes {@code from} a {@link Streaming} with nothing to send.
     */
    record Closing(Open from) implements Attached {
        public Closing {
            requireNonNull(from, "from is null");
        }

        @Override
        public Attempt attempt() {
            return from.attempt();
        }

        @Override
        public boolean connected() {
            return from.connected();
        }

        @Override
        public StopStep onStop() {
            return StopStep.ALREADY_STOPPING;
        }

        @Override
        public Optional<Streaming> streaming() {
            return from.streaming();
        }

        @Override
        public Optional<Handshaking> handshaking() {
            return from.handshaking();
        }

        @Override
        public boolean stopping() {
            return true;
        }

        @Override
        public void abandon() {
            from.abandon();
        }
    }
}
