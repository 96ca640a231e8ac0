package io.steward.core.protocol;

/** Why a node refused a frame; stable names, meant for logs and for the agent's decisions. */
public enum ErrorCode {
    /** Not JSON, or not a known message shape. The frame is dropped; the connection stays. */
    MALFORMED,
    /** The frame exceeded the node's size limit. */
    FRAME_TOO_LARGE,
    /** The agent speaks a protocol version this node does not support. Fatal. */
    UNSUPPORTED_VERSION,
    /** Unknown or revoked credential / enrollment token. Fatal. */
    UNAUTHORIZED,
    /** The enrollment token exists but has expired or is used up. Fatal. */
    ENROLLMENT_EXPIRED,
    /** A report arrived before a successful hello. Fatal. */
    NOT_AUTHENTICATED,
    /** The server was deleted from the node; the credential no longer works. Fatal. */
    SERVER_DELETED,
    /** The node could not store the report right now; the agent keeps it and sends it again later. */
    UNAVAILABLE,
    /**
     * Another connection with the same credential is attached and reporting: two agents must never share one
     * server's report sequence. Fatal; the agent retries with its usual backoff.
     */
    CREDENTIAL_IN_USE,
    /** This machine's re-enrollment waits for an admin's approval; the agent keeps its token and retries. Fatal. */
    ENROLLMENT_PENDING,
    /** A frame broke a content limit (too many services, a name too long, control characters). Not fatal. */
    LIMIT_EXCEEDED,
    /** The agent sends reports faster than the node accepts: the report is kept and sent again later. Not fatal. */
    RATE_LIMITED
}
