package io.steward.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerIdTest {

    @Test
    void acceptsWhatEnrollmentMakesAndNothingElse() {
        assertThat(ServerId.parse("web-01-example-com-x7k2q9")).contains(new ServerId("web-01-example-com-x7k2q9"));
        assertThat(ServerId.parse("a")).isPresent();
        assertThat(ServerId.parse("a".repeat(64))).isPresent();
        for (String bad : new String[] {"", "-web", "Web-1", "web_1", "web.1", "web 1", "web/1", "a".repeat(65),
                "../etc", null}) {
            assertThat(ServerId.parse(bad)).as(String.valueOf(bad)).isEmpty();
        }
        assertThatThrownBy(() -> new ServerId("Web-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case letters, digits and dashes");
    }

    @Test
    void aHostnameBecomesAReadableSlugWithTheSuffix() {
        assertThat(ServerId.fromHostname("web-01.Example.com", "x7k2q9").value())
                .isEqualTo("web-01-example-com-x7k2q9");
        assertThat(ServerId.fromHostname("...", "abc").value()).isEqualTo("server-abc");
        assertThat(ServerId.fromHostname("a".repeat(100), "abc").value()).hasSize(44);
    }

    @Test
    void describeNeverEchoesALongInputWhole() {
        assertThat(ServerId.describe("x".repeat(1000))).hasSizeLessThan(200);
    }
}
