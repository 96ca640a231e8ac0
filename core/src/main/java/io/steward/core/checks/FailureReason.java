package io.steward.core.checks;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a probe failed, classified by the agent from what it saw (exception types, never message text alone). */
public enum FailureReason {
    /** The name did not resolve (or the resolver did not answer in time). */
    DNS,
    /** The address answered the connection with a reset: nothing listens on the port. */
    CONNECT_REFUSED,
    /** No route, network unreachable, or another connection error that is not a refusal or a timeout. */
    CONNECT_FAILED,
    /** A phase (connect, handshake, first byte, body) did not finish within the check's timeout. */
    TIMEOUT,
    /** The TLS handshake failed (protocol or cipher mismatch, the peer closed, not TLS at all). */
    TLS_HANDSHAKE,
    /** The certificate is expired, not yet valid, or not issued for the name. */
    CERTIFICATE_INVALID,
    /** The chain does not lead to a trusted root, and the certificate is not the pinned one. */
    CERTIFICATE_UNTRUSTED,
    /** The status code is not one of the expected ones. */
    STATUS,
    /** The body does not contain the keyword. */
    KEYWORD,
    /** The body is not JSON, or the value at the condition's path is not the expected one. */
    JSON_CONDITION,
    /** The DNS answer does not contain the expected record, or is empty. */
    DNS_ANSWER,
    /** The answer is not HTTP, or a redirect is broken (no Location, too many hops, a loop). */
    PROTOCOL,
    /** The agent could not run the probe (an unexpected error in the agent itself). */
    PROBE_ERROR;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
