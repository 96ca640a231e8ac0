package io.steward.node.it;

import io.steward.node.StewardNode;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The export endpoints on embedded H2 (the single-node default). */
class ExportOnH2IT extends ExportContract {
    @TempDir
    static Path dataDir;

    @Override
    protected StewardNode startNode() throws Exception {
        return StewardNode.start(TestNodes.h2(dataDir));
    }
}
