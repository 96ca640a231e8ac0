package io.steward.node.server;

import java.time.Instant;

/**
 * Who may speak for the server: re-enrollments of its machine and what admins decided about its agent's credential.
 * History only (and, for a re-enrollment, a warning in the inbox): no state changes with them.
 */
public sealed interface CredentialEvent extends ServerEvent {

    /**
     * An agent on this server's machine enrolled again with a valid token.
     *
     * @param remote the address the request came from
     * @param needsApproval the old credential was in use (its agent connected and reporting): an admin must approve
     */
    record ReEnrollmentRequested(String requestId, String hostname, String remote, boolean needsApproval,
            Instant at) implements CredentialEvent {}

    /** An admin approved a pending re-enrollment: the old credential was revoked. */
    record ReEnrollmentApproved(String requestId, String by, Instant at) implements CredentialEvent {}

    /** An admin refused a pending re-enrollment: the old credential stays. */
    record ReEnrollmentDenied(String requestId, String by, Instant at) implements CredentialEvent {}

    /** An admin revoked the agent's credential: the agent is refused until it enrolls again with a new token. */
    record CredentialRevoked(String by, Instant at) implements CredentialEvent {}
}
