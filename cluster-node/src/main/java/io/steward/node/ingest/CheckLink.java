package io.steward.node.ingest;

import io.steward.core.protocol.AgentMessage;

/** Where an agent's check traffic goes: its assignment when it connects, its results as they come. */
public interface CheckLink {
    /** The agent of {@code serverId} was welcomed: send it the checks it runs. */
    void connected(String serverId);

    void results(String serverId, AgentMessage.CheckResults frame);

    CheckLink NONE = new CheckLink() {
        @Override
        public void connected(String serverId) {}

        @Override
        public void results(String serverId, AgentMessage.CheckResults frame) {}
    };
}
