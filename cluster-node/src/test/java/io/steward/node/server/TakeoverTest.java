package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TakeoverTest {
    private static final Instant OPENED = Instant.parse("2026-11-22T09:00:00Z");

    @Test
    void anAttachOfAConnectionOlderThanTheLiveAttachedOneIsStaleWhateverTheServersState() {
        assertThat(Takeover.decide(OPENED, OPENED.minusSeconds(15), false, false)).isEqualTo(Takeover.STALE);
        assertThat(Takeover.decide(OPENED, OPENED.minusSeconds(15), true, false)).isEqualTo(Takeover.STALE);
    }

    @Test
    void aConnectionOnALostNodeIsTakenOverEvenByOneWhoseNodeClockIsBehind() {
        assertThat(Takeover.decide(OPENED, OPENED.minusSeconds(1), true, true)).isEqualTo(Takeover.TAKE_OVER);
    }

    @Test
    void aNewerConnectionTakesOverFromASilentOneOrOneOnALostNode() {
        assertThat(Takeover.decide(OPENED, OPENED.plusSeconds(15), false, false)).isEqualTo(Takeover.TAKE_OVER);
        assertThat(Takeover.decide(OPENED, OPENED.plusSeconds(15), true, true)).isEqualTo(Takeover.TAKE_OVER);
    }

    @Test
    void aSecondAgentIsRefusedWhileTheFirstReportsOnAnUpNode() {
        assertThat(Takeover.decide(OPENED, OPENED.plusSeconds(15), true, false)).isEqualTo(Takeover.IN_USE);
    }

    @Test
    void unknownOpeningTimesNeverCountAsStale() {
        assertThat(Takeover.decide(null, OPENED, false, false)).isEqualTo(Takeover.TAKE_OVER);
        assertThat(Takeover.decide(OPENED, null, false, false)).isEqualTo(Takeover.TAKE_OVER);
    }
}
