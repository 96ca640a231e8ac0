package io.steward.agent.link;

import io.steward.core.protocol.NodeMessage;

/** Where the link hands the node's backup frames, and whom it tells of every welcome. */
public interface BackupFrames {
    /** Whether {@code message} is a backup frame. */
    boolean accepts(NodeMessage message);

    /** Takes a backup frame; must not block (it is called on the link's executor). */
    void handle(NodeMessage frame);

    /** The node welcomed the agent; must not block. */
    void welcomed();
}
