package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.core.protocol.NodeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this agent is to its node: the token a hello presents (the saved credential, else the enrollment token) and
 * what a welcome gives back (a credential on enrollment, the server id), kept in the state directory.
 */
final class Identity {
    private static final Logger log = LoggerFactory.getLogger(Identity.class);

    /**
     * The token for a hello, whether it is the enrollment token (no credential saved yet), and with one the agent's
     * enrollment proof (see {@link StateDirectory#enrollmentProof}).
     */
    record Presented(String token, boolean enrollmentToken, String enrollmentProof) {
        Presented {
            requireNonNull(token, "token is null");
        }
    }

    private final StateDirectory state;
    private final String enrollmentToken;
    /** Read by the agent's status from any thread. */
    private volatile String serverId;

    Identity(StateDirectory state, String enrollmentToken) {
        this.state = requireNonNull(state, "state is null");
        this.enrollmentToken = enrollmentToken;
        try {
            this.serverId = state.serverId().orElse(null);
        } catch (IOException e) {
            log.warn("Cannot read the saved server id in [{}]: {}", state.path(), e.toString());
        }
    }

    /** What the next hello presents; null when there is neither a saved credential nor an enrollment token. */
    Presented present() throws IOException {
        String credential = state.credential().orElse(null);
        if (credential != null) {
            return new Presented(credential, false, null);
        }
        return enrollmentToken == null ? null : new Presented(enrollmentToken, true, state.enrollmentProof());
    }

    /** Saves what {@code welcome} gives; returns whether it enrolled this agent just now (a credential came). */
    boolean accept(NodeMessage.Welcome welcome) {
        boolean enrolledNow = welcome.credential() != null;
        if (enrolledNow) {
            try {
                state.saveCredential(welcome.credential());
                log.info("Enrolled as server [{}]; credential saved in [{}], the enrollment token is no longer needed",
                        welcome.serverId(), state.credentialFile());
            } catch (IOException e) {
                log.error("Enrolled as server [{}] but cannot save the credential in [{}]: the next start will need "
                        + "a new enrollment token", welcome.serverId(), state.credentialFile(), e);
            }
        }
        if (!welcome.serverId().equals(serverId)) {
            try {
                state.saveServerId(welcome.serverId());
            } catch (IOException e) {
                log.warn("Cannot save the server id in [{}]: {}", state.path(), e.toString());
            }
            serverId = welcome.serverId();
        }
        return enrolledNow;
    }

    /** Whether the saved credential is older than {@code every}: then the agent asks for a new one. */
    boolean rotationDue(Duration every) {
        try {
            Path file = state.credentialFile();
            return Files.exists(file) && Files.getLastModifiedTime(file).toInstant()
                    .isBefore(Instant.now().minus(every));
        } catch (IOException e) {
            log.warn("Cannot read the age of the credential in [{}]: {}", state.path(), e.toString());
            return false;
        }
    }

    /**
     * Saves a rotated credential. If saving fails the old one is kept, and keeps working: the node retires it only
     * when the new one is first presented.
     */
    void rotated(NodeMessage.CredentialRotated rotated) {
        try {
            state.saveCredential(rotated.credential());
            log.info("Rotated the agent credential in [{}]", state.credentialFile());
        } catch (IOException e) {
            log.warn("Cannot save the rotated credential in [{}]; keeping the old one: {}", state.credentialFile(),
                    e.toString());
        }
    }

    /** The server this agent reports as, or null before its first welcome. */
    String serverId() {
        return serverId;
    }

    Path directory() {
        return state.path();
    }

    Path credentialFile() {
        return state.credentialFile();
    }
}
