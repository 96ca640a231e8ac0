package io.steward.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WriteAdmissionTest {
    private final WriteAdmission admission = new WriteAdmission(Duration.ofSeconds(2), 100);

    @Test
    void beforeAnyBatchWasMeasuredEverythingIsAdmitted() {
        assertThat(admission.admits(19_999)).isTrue(); // the queue's count still bounds it
    }

    @Test
    void admitsWhatTheRecentRateWritesWithinTheWait() {
        admission.written(1_000, 1_000_000_000L); // 1,000 reports/s
        assertThat(admission.admits(1_999)).isTrue();
        assertThat(admission.admits(2_000)).as("two seconds of work already queued").isFalse();
        assertThat(admission.expectedWait(2_000)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aSlowerStoreAdmitsLessAndAFasterOneMore() {
        admission.written(1_000, 1_000_000_000L);
        for (int i = 0; i < 30; i++) {
            admission.written(1_000, 4_000_000_000L); // the database slowed to 250/s
        }
        assertThat(admission.admits(600)).isFalse();
        for (int i = 0; i < 30; i++) {
            admission.written(1_000, 500_000_000L); // and recovered to 2,000/s
        }
        assertThat(admission.admits(3_500)).isTrue();
    }

    @Test
    void aBatchsWorthIsAlwaysAdmittedHoweverSlowTheStore() {
        admission.written(10, 10_000_000_000L); // 1 report/s
        assertThat(admission.admits(99)).isTrue();
        assertThat(admission.admits(100)).isFalse();
    }
}
