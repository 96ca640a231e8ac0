package io.steward.node.problem;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * An expected failure with its category: what entities reply (in {@code StatusReply.error}) and stores throw when a
 * request cannot be done, and what the HTTP edge maps to a status in one table. The message is safe to show to the
 * caller; the code says what kind of failure it is, so nobody needs to read the message to decide.
 *
 * <p>Crosses the cluster inside entity replies with its own tiny serializer ({@link ProblemSerializer}).
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Categories of failure; {@link #wireName()} is the {@code code} field of an API error body. */
    public enum Code {
        /** The request itself is wrong (a field out of range, malformed JSON): fix the request. */
        INVALID,
        /** What the request names does not exist. */
        NOT_FOUND,
        /** What the request names existed and was deleted. */
        GONE,
        /** The request conflicts with the current state (a name already taken, a stale version). */
        CONFLICT,
        /** Refused by policy where it would run: e.g. an agent whose local config does not allow the command. */
        REFUSED,
        /** The agent that would do it is not connected. */
        NOT_CONNECTED,
        /** Asked, but no answer came in time. */
        TIMED_OUT,
        /** The node cannot do it right now (database away, queue full): try again later. */
        UNAVAILABLE,
        /** Done by someone else, who failed (an agent's command failed, a channel's server refused). */
        UPSTREAM_FAILED,
        /** No valid login. */
        UNAUTHENTICATED,
        /** Logged in, but not allowed. */
        FORBIDDEN,
        /** Too many attempts; wait. */
        RATE_LIMITED,
        /** The request body is too large. */
        TOO_LARGE,
        /** The request body is not of the accepted type. */
        UNSUPPORTED_MEDIA_TYPE,
        /** A bug: nothing the caller did. */
        INTERNAL;

        /** "not-found", "timed-out"...: the {@code code} of an API error body. */
        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Code code;

    public Problem(Code code, String message) {
        // No stack trace: a Problem is an expected answer, not a bug to debug.
        super(requireNonNull(message, "message is null"), null, false, false);
        this.code = requireNonNull(code, "code is null");
    }

    public Code code() {
        return code;
    }

    public static Problem invalid(String message) {
        return new Problem(Code.INVALID, message);
    }

    public static Problem notFound(String message) {
        return new Problem(Code.NOT_FOUND, message);
    }

    public static Problem gone(String message) {
        return new Problem(Code.GONE, message);
    }

    public static Problem conflict(String message) {
        return new Problem(Code.CONFLICT, message);
    }

    public static Problem refused(String message) {
        return new Problem(Code.REFUSED, message);
    }

    public static Problem notConnected(String message) {
        return new Problem(Code.NOT_CONNECTED, message);
    }

    public static Problem timedOut(String message) {
        return new Problem(Code.TIMED_OUT, message);
    }

    public static Problem unavailable(String message) {
        return new Problem(Code.UNAVAILABLE, message);
    }

    public static Problem upstreamFailed(String message) {
        return new Problem(Code.UPSTREAM_FAILED, message);
    }

    @Override
    public String toString() {
        return "Problem[" + code.wireName() + ": " + getMessage() + "]";
    }
}
