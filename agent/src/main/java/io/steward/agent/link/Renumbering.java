package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the spool's sequences above what the node already stored, when a welcome shows they would collide: the
 * node's state for this server outlived the agent's (a lost state directory, a reinstall on a known machine, an
 * in-memory spool). A node acking such reports as duplicates would silently lose them.
 */
final class Renumbering {
    private static final Logger log = LoggerFactory.getLogger(Renumbering.class);

    private final Spool spool;
    /** Whether any welcome came before: then an in-memory spool's pending reports were offered to this server. */
    private boolean welcomedBefore;

    Renumbering(Spool spool) {
        this.spool = requireNonNull(spool, "spool is null");
    }

    /** After a welcome reporting {@code lastStored}; {@code enrolledNow} when it came with a new credential. */
    void welcomed(long lastStored, boolean enrolledNow) {
        boolean pendingNeverSent = enrolledNow || (!spool.durable() && !welcomedBefore);
        welcomedBefore = true;
        if (!needed(lastStored, spool.nextSequence(), spool.firstPendingSequence(), pendingNeverSent)) {
            return;
        }
        try {
            if (spool.rebaseAbove(lastStored)) {
                log.info("The node already stored reports up to sequence [{}]: continuing at [{}]", lastStored,
                        spool.firstPendingSequence());
            }
        } catch (IOException e) {
            log.error("Cannot renumber the spool above sequence [{}]", lastStored, e);
        }
    }

    /**
     * Whether to renumber: the node stored sequences this spool would (re)use, or its pending reports were never
     * sent to this server and the node already has their sequences.
     */
    static boolean needed(long lastStored, long nextSequence, long firstPending, boolean pendingNeverSent) {
        return lastStored >= nextSequence || (pendingNeverSent && lastStored >= firstPending);
    }
}
