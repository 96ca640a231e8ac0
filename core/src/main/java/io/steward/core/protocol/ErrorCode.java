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
    UNAVAILABLE
}
