package io.steward.core.nagios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Threshold ranges as the Nagios plugin guidelines define them, and the line a plugin prints. */
class NagiosCheckTest {

    @Test
    void aBareNumberAlertsOutsideZeroToIt() {
        NagiosRange range = NagiosRange.parse("80");
        assertThat(range.alerts(80)).isFalse();
        assertThat(range.alerts(0)).isFalse();
        assertThat(range.alerts(80.01)).isTrue();
        assertThat(range.alerts(-1)).isTrue();
    }

    @Test
    void openEndsTildeAndInsideRangesFollowTheGuidelines() {
        assertThat(NagiosRange.parse("10:").alerts(9.9)).isTrue();
        assertThat(NagiosRange.parse("10:").alerts(1e9)).isFalse();
        assertThat(NagiosRange.parse("~:10").alerts(-1e9)).isFalse();
        assertThat(NagiosRange.parse("~:10").alerts(10.5)).isTrue();
        NagiosRange outside = NagiosRange.parse("10:20");
        assertThat(outside.alerts(10)).isFalse();
        assertThat(outside.alerts(20)).isFalse();
        assertThat(outside.alerts(9)).isTrue();
        assertThat(outside.alerts(21)).isTrue();
        NagiosRange inside = NagiosRange.parse("@10:20");
        assertThat(inside.alerts(10)).isTrue();
        assertThat(inside.alerts(20)).isTrue();
        assertThat(inside.alerts(15)).isTrue();
        assertThat(inside.alerts(9.99)).isFalse();
        assertThat(inside.alerts(20.01)).isFalse();
        assertThat(NagiosRange.parse("@5").alerts(3)).isTrue();
        assertThat(NagiosRange.parse("-5:-1").alerts(-3)).isFalse();
        assertThat(NagiosRange.parse("1.5e1").end()).isEqualTo(15.0);
    }

    @Test
    void aMalformedRangeIsRefusedSayingWhy() {
        assertThatThrownBy(() -> NagiosRange.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> NagiosRange.parse("abc")).hasMessageContaining("'abc' is not a number");
        assertThatThrownBy(() -> NagiosRange.parse("20:10")).hasMessageContaining("start is greater than end");
        assertThatThrownBy(() -> NagiosRange.parse("NaN")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> NagiosRange.parse("80d")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> NagiosCheck.of("cpu.percent", "web-1", Optional.of("80"), Optional.of("x:")))
                .hasMessageStartingWith("crit: ");
    }

    @Test
    void criticalWinsOverWarningAndTheLineCarriesPerformanceData() {
        NagiosCheck check = NagiosCheck.of("cpu.percent", "web-1", Optional.of("80"), Optional.of("90"));

        NagiosResult ok = check.evaluate(12.5);
        assertThat(ok.status()).isEqualTo(NagiosStatus.OK);
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.line()).isEqualTo("STEWARD OK - cpu.percent on web-1 is 12.5% | 'cpu.percent'=12.5%;80;90;0;100");

        NagiosResult warning = check.evaluate(85);
        assertThat(warning.status()).isEqualTo(NagiosStatus.WARNING);
        assertThat(warning.exitCode()).isEqualTo(1);

        NagiosResult critical = check.evaluate(95.126);
        assertThat(critical.exitCode()).isEqualTo(2);
        assertThat(critical.line()).isEqualTo(
                "STEWARD CRITICAL - cpu.percent on web-1 is 95.13% | 'cpu.percent'=95.13%;80;90;0;100");
    }

    @Test
    void withoutThresholdsAValueIsOkAndLabelsAreQuoted() {
        NagiosCheck check = NagiosCheck.of("disk.used.bytes{mount=/it's}", "db|1", Optional.empty(), Optional.of(""));
        NagiosResult result = check.evaluate(1_000_000_000_000.0);
        assertThat(result.status()).isEqualTo(NagiosStatus.OK);
        assertThat(result.line()).isEqualTo("STEWARD OK - disk.used.bytes{mount=/it's} on db/1 is 1000000000000B"
                + " | 'disk.used.bytes{mount=/it''s}'=1000000000000B;;");
    }

    @Test
    void anAnswerWithoutValueIsOneLineWithoutPerformanceData() {
        NagiosResult unknown = NagiosResult.of(NagiosStatus.UNKNOWN, "no server named 'x'\nor | y");
        assertThat(unknown.exitCode()).isEqualTo(3);
        assertThat(unknown.line()).isEqualTo("STEWARD UNKNOWN - no server named 'x' or / y");
    }
}
