package io.steward.agent;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.link.StateDirectory;
import io.steward.agent.testing.FakeNode;
import io.steward.agent.testing.NumberedSource;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.retry.Backoff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent rotates its credential on schedule: a fresh one is left alone, an old one is exchanged and saved. */
class CredentialRotationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TOKEN = "enroll-token";

    @TempDir
    Path stateDirectory;

    private FakeNode node;

    @BeforeEach
    void startNode() {
        node = FakeNode.start().acceptEnrollmentToken(TOKEN);
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    private Agent start(String token, NumberedSource source) {
        return Agent.start(AgentSettings.builder()
                .hub(node.hub())
                .token(token)
                .interval(Duration.ofSeconds(60))
                .stateDirectory(stateDirectory)
                .credentialRotation(Duration.ofDays(30))
                .reconnectBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0))
                .build(), source);
    }

    @Test
    void anOldCredentialIsExchangedForANewOneWhichTheNextHelloPresents() throws Exception {
        String serverId;
        try (Agent agent = start(TOKEN, new NumberedSource())) {
            serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(1));
        }
        StateDirectory state = StateDirectory.open(stateDirectory);
        String first = state.credential().orElseThrow();

        // A fresh credential: the reconnect asks for nothing.
        try (Agent agent = start(null, new NumberedSource(1))) {
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(2));
        }
        assertThat(node.received(AgentMessage.RotateCredential.class)).isEmpty();

        // 40 days later: the agent asks for a new credential after the welcome and saves it.
        Files.setLastModifiedTime(state.credentialFile(), FileTime.from(Instant.now().minus(Duration.ofDays(40))));
        try (Agent agent = start(null, new NumberedSource(2))) {
            eventually(WAIT, () -> assertThat(node.received(AgentMessage.RotateCredential.class)).hasSize(1));
            eventually(WAIT, () -> assertThat(state.credential().orElseThrow()).isNotEqualTo(first));
            assertThat(agent.status().serverId()).isEqualTo(serverId);
        }
        String rotated = state.credential().orElseThrow();
        assertThat(rotated).startsWith("cred-" + serverId + "-rotated-");
        assertThat(Files.getLastModifiedTime(state.credentialFile()).toInstant())
                .isAfter(Instant.now().minus(Duration.ofMinutes(5)));

        try (Agent agent = start(null, new NumberedSource(3))) {
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(4));
        }
        List<AgentMessage.Hello> hellos = node.hellos();
        assertThat(hellos.get(hellos.size() - 1).token()).isEqualTo(rotated);
        assertThat(node.received(AgentMessage.RotateCredential.class)).hasSize(1);
    }
}
