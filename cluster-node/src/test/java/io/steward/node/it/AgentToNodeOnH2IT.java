package io.steward.node.it;

import io.steward.node.StewardNode;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The foundation contract on the embedded H2 database (the default). */
class AgentToNodeOnH2IT extends AgentToNodeContract {
    @TempDir
    static Path dataDir;
    @TempDir
    static Path agentDir;

    @Override
    protected StewardNode startNode(Path dir) throws Exception {
        return StewardNode.start(TestNodes.h2(dir));
    }

    @Override
    protected Path dataDir() {
        return dataDir;
    }

    @Override
    protected Path agentStateDir() {
        return agentDir;
    }
}
