package io.steward.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuantitiesTest {

    @Test
    void durationsInEveryUnit() {
        assertThat(Quantities.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Quantities.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Quantities.parseDuration("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Quantities.parseDuration("0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(Quantities.parseDuration("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Quantities.parseDuration(" 24h ")).isEqualTo(Duration.ofHours(24));
        assertThat(Quantities.parseDuration("7D")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void badDurationsSayWhatIsAccepted() {
        assertThatThrownBy(() -> Quantities.parseDuration("soon")).hasMessageContaining("500ms, 5s");
        assertThatThrownBy(() -> Quantities.parseDuration("-5s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quantities.parseDuration("5 weeks")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quantities.parseDuration("0.0001s")).hasMessageContaining("millisecond");
    }

    @Test
    void sizesAreBinaryMultiples() {
        assertThat(Quantities.parseSize("100MB")).isEqualTo(100L << 20);
        assertThat(Quantities.parseSize("100mib")).isEqualTo(100L << 20);
        assertThat(Quantities.parseSize("512KB")).isEqualTo(512L << 10);
        assertThat(Quantities.parseSize("1.5G")).isEqualTo(3L << 29);
        assertThat(Quantities.parseSize("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> Quantities.parseSize("lots")).hasMessageContaining("100MB");
        assertThatThrownBy(() -> Quantities.parseSize("99999999999TB")).hasMessageContaining("too large");
    }
}
