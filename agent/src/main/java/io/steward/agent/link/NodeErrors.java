package io.steward.agent.link;

import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** What an {@code Error} frame from the node means for the link, and how to explain it to whoever reads the log. */
final class NodeErrors {
    /** Errors that will not go away by reconnecting soon: retry at the maximum backoff. */
    private static final Set<ErrorCode> LASTING = EnumSet.of(
            ErrorCode.UNAUTHORIZED, ErrorCode.ENROLLMENT_EXPIRED, ErrorCode.UNSUPPORTED_VERSION,
            ErrorCode.SERVER_DELETED, ErrorCode.ENROLLMENT_PENDING);

    private NodeErrors() {}

    /** What the link does about one error. */
    sealed interface Verdict permits AboutReport, Warning, Disconnect {}

    /** An answer to one report sent: it is no longer in flight. */
    sealed interface AboutReport extends Verdict permits ResendLater, DropReport {
        long sequence();
    }

    /** The node could not store this report now: pause sending, then send it again. */
    record ResendLater(long sequence) implements AboutReport {}

    /** The node refuses this report for good (malformed, too large): it leaves the spool, counted as dropped. */
    record DropReport(long sequence) implements AboutReport {}

    /** A problem about no report that does not end the connection: worth a log line. */
    record Warning() implements Verdict {}

    /**
     * The node ends the connection.
     *
     * @param lasting reconnecting soon will not help: retry at the maximum backoff
     * @param rejectsEnrollment the enrollment token this agent presented, without a saved credential, is refused
     */
    record Disconnect(boolean lasting, boolean rejectsEnrollment) implements Verdict {}

    /** The verdict on {@code error}, for a connection that presented the enrollment token or not. */
    static Verdict classify(NodeMessage.Error error, boolean enrollmentToken) {
        if (!error.fatal()) {
            if (error.sequence() <= 0) {
                return new Warning();
            }
            return error.code() == ErrorCode.UNAVAILABLE || error.code() == ErrorCode.RATE_LIMITED
                    ? new ResendLater(error.sequence())
                    : new DropReport(error.sequence());
        }
        if (!LASTING.contains(error.code())) {
            return new Disconnect(false, false); // transient (the node is busy or restarting): the usual backoff
        }
        boolean tokenRefused = error.code() == ErrorCode.UNAUTHORIZED || error.code() == ErrorCode.ENROLLMENT_EXPIRED;
        return new Disconnect(true, enrollmentToken && tokenRefused);
    }

    /** A lasting error as advice to a person: what happened and what to do about it. */
    static String explain(NodeMessage.Error error, boolean enrollmentToken, Path credentialFile) {
        return switch (error.code()) {
            case UNAUTHORIZED -> enrollmentToken
                    ? "The node rejected the enrollment token (" + error.message() + "). Create a new token on the "
                            + "node and pass it with --token or STEWARD_TOKEN."
                    : "The node rejected this agent's saved credential (" + error.message() + "). If the server was "
                            + "removed, delete " + credentialFile + " and enroll again with a new token.";
            case ENROLLMENT_EXPIRED -> "The enrollment token has expired or is used up (" + error.message()
                    + "). Create a new token on the node and pass it with --token or STEWARD_TOKEN.";
            case UNSUPPORTED_VERSION -> "The node does not speak this agent's protocol version "
                    + ProtocolVersion.CURRENT + " (" + error.message() + "). Upgrade the agent or the node.";
            case SERVER_DELETED -> "This server was deleted on the node (" + error.message() + "). To monitor it "
                    + "again, delete " + credentialFile + " and enroll with a new token.";
            case ENROLLMENT_PENDING -> "This machine is already enrolled and its old credential is still in use: an "
                    + "admin must approve the re-enrollment on the node (" + error.message() + "). The agent keeps "
                    + "trying with its enrollment token.";
            default -> error.code() + ": " + error.message();
        };
    }
}
