package io.steward.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.steward.node.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readiness verdict, and the view's settings as shipped. */
class ReadinessTest {
    @TempDir
    Path dataDir;

    @Test
    void readyOnlyWhenUpWithADatabaseAndRegisteredShardsAndOtherwiseSaysWhy() {
        assertThat(Readiness.of(MemberState.UP, true, "")).satisfies(ready -> {
            assertThat(ready.ready()).isTrue();
            assertThat(ready.reasons()).isEmpty();
        });
        Readiness draining = Readiness.of(MemberState.LEAVING, false, "no node hosts server entities yet");
        assertThat(draining.ready()).isFalse();
        assertThat(draining.databaseUp()).isFalse();
        assertThat(draining.shardingReady()).isFalse();
        assertThat(draining.reasons()).containsExactly("this node is leaving, not an up cluster member",
                "the database does not answer", "no node hosts server entities yet");
    }

    @Test
    void theShippedSettingsAreValidAndABadOneIsNamed() {
        var config = NodeConfig.load(ConfigFactory.empty()
                .withValue("steward.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString())));
        ClusterViewSettings settings = ClusterViewSettings.fromConfig(config);
        assertThat(settings.dedupWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.failoverWindow()).isGreaterThan(settings.dedupWindow());
        assertThat(settings.entityRole()).isEmpty();

        var broken = config.withValue("steward.cluster.view.dedup-window", ConfigValueFactory.fromAnyRef("0s"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterViewSettings.fromConfig(broken))
                .hasMessage("steward.cluster.view.dedup-window must be positive");
    }
}
