package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.testing.ManualClock;
import io.steward.core.testing.Reports;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RenumberingTest {

    @Test
    void renumbersWhenTheNodeStoredSequencesThisSpoolWouldReuse() {
        assertThat(Renumbering.needed(10, 10, 4, false)).isTrue();
        assertThat(Renumbering.needed(9, 10, 4, false)).isFalse();
    }

    @Test
    void pendingReportsNeverSentToThisServerMoveAboveWhatItStored() {
        assertThat(Renumbering.needed(4, 10, 4, true)).isTrue();
        assertThat(Renumbering.needed(3, 10, 4, true)).isFalse();
        assertThat(Renumbering.needed(4, 10, 4, false)).isFalse();
    }

    @Test
    void anInMemorySpoolIsRenumberedOnItsFirstWelcomeOnly() throws Exception {
        ManualClock clock = new ManualClock();
        MemorySpool spool = new MemorySpool(new SpoolBounds(Duration.ofHours(1), 1 << 20), clock);
        spool.append(Reports.numbered(1, clock.instant()));
        spool.append(Reports.numbered(2, clock.instant()));
        Renumbering renumbering = new Renumbering(spool);

        // A restarted simulated agent: the node has its old sequence 1, so both move above everything numbered.
        renumbering.welcomed(1, false);
        assertThat(spool.firstPendingSequence()).isEqualTo(3);
        assertThat(spool.nextSequence()).isEqualTo(5);

        // A reconnect: 3 was sent on the first connection and stored; resending it is a duplicate, not a collision.
        renumbering.welcomed(3, false);
        assertThat(spool.firstPendingSequence()).isEqualTo(3);
        assertThat(spool.nextSequence()).isEqualTo(5);
    }
}
