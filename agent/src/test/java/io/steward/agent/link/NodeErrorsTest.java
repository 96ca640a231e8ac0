package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NodeErrorsTest {
    private static final Path CREDENTIAL = Path.of("/var/lib/steward-agent/credential");

    private static NodeMessage.Error error(ErrorCode code, long sequence, boolean fatal) {
        return new NodeMessage.Error(code, "because", sequence, fatal);
    }

    @Test
    void aReportTheNodeCouldNotStoreNowIsSentAgainAndOneItRefusesIsDropped() {
        assertThat(NodeErrors.classify(error(ErrorCode.UNAVAILABLE, 12, false), false))
                .isEqualTo(new NodeErrors.ResendLater(12));
        assertThat(NodeErrors.classify(error(ErrorCode.MALFORMED, 12, false), false))
                .isEqualTo(new NodeErrors.DropReport(12));
    }

    @Test
    void aNonFatalErrorAboutNoReportIsOnlyAWarning() {
        assertThat(NodeErrors.classify(error(ErrorCode.MALFORMED, 0, false), false))
                .isInstanceOf(NodeErrors.Warning.class);
    }

    @Test
    void lastingRefusalsRetryAtTheMaximumAndOnlyAnEnrollmentTokenCanBeRejected() {
        assertThat(NodeErrors.classify(error(ErrorCode.UNAUTHORIZED, 0, true), true))
                .isEqualTo(new NodeErrors.Disconnect(true, true));
        assertThat(NodeErrors.classify(error(ErrorCode.ENROLLMENT_EXPIRED, 0, true), true))
                .isEqualTo(new NodeErrors.Disconnect(true, true));
        assertThat(NodeErrors.classify(error(ErrorCode.UNAUTHORIZED, 0, true), false))
                .isEqualTo(new NodeErrors.Disconnect(true, false));
        assertThat(NodeErrors.classify(error(ErrorCode.SERVER_DELETED, 0, true), true))
                .isEqualTo(new NodeErrors.Disconnect(true, false));
        assertThat(NodeErrors.classify(error(ErrorCode.UNSUPPORTED_VERSION, 0, true), false))
                .isEqualTo(new NodeErrors.Disconnect(true, false));
    }

    @Test
    void otherFatalErrorsAreTransientAndUseTheUsualBackoff() {
        assertThat(NodeErrors.classify(error(ErrorCode.UNAVAILABLE, 0, true), true))
                .isEqualTo(new NodeErrors.Disconnect(false, false));
        assertThat(NodeErrors.classify(error(ErrorCode.NOT_AUTHENTICATED, 3, true), false))
                .isEqualTo(new NodeErrors.Disconnect(false, false));
    }

    @Test
    void explanationsSayWhatToDo() {
        assertThat(NodeErrors.explain(error(ErrorCode.UNAUTHORIZED, 0, true), true, CREDENTIAL))
                .contains("rejected the enrollment token (because)").contains("--token or STEWARD_TOKEN");
        assertThat(NodeErrors.explain(error(ErrorCode.UNAUTHORIZED, 0, true), false, CREDENTIAL))
                .contains("saved credential").contains("delete " + CREDENTIAL);
        assertThat(NodeErrors.explain(error(ErrorCode.SERVER_DELETED, 0, true), false, CREDENTIAL))
                .contains("deleted on the node").contains("delete " + CREDENTIAL);
        assertThat(NodeErrors.explain(error(ErrorCode.UNSUPPORTED_VERSION, 0, true), false, CREDENTIAL))
                .contains("Upgrade the agent or the node");
    }
}
