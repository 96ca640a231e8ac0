package io.steward.node.auth;

/**
 * Sends a password reset link by email. Implemented at the wiring with a configured email channel's SMTP settings;
 * blocking.
 */
public interface ResetMailer {
    /** @return false when no email channel is configured, so nothing could be sent */
    boolean send(String to, String subject, String text) throws Exception;
}
