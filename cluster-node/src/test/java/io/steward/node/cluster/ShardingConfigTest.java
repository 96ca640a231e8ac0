package io.steward.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The node's sharding settings as shipped (application.conf), which the failover relies on. */
class ShardingConfigTest {
    private final Config sharding = ConfigFactory.load().getConfig("pekko.cluster.sharding");

    @Test
    void entitiesAreRememberedInTheJournal() {
        assertThat(sharding.getBoolean("remember-entities")).isTrue();
        assertThat(sharding.getString("remember-entities-store")).isEqualTo("eventsourced");
    }

    @Test
    void rememberedEntitiesStartAtAConstantRateNotAllAtOnce() {
        assertThat(sharding.getString("entity-recovery-strategy")).isEqualTo("constant");
        assertThat(sharding.getDuration("entity-recovery-constant-rate-strategy.frequency"))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(sharding.getInt("entity-recovery-constant-rate-strategy.number-of-entities")).isEqualTo(2);
    }
}
