package io.steward.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.core.protocol.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Whether an instant is inside a one-off or recurring maintenance window, across daylight-saving changes. */
class MaintenanceWindowTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant berlin(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
    }

    @Test
    void aOneOffWindowIncludesItsStartAndExcludesItsEnd() {
        Instant start = Instant.parse("2026-12-10T22:00:00Z");
        MaintenanceWindow window = new MaintenanceWindow.OneOff(start, start.plus(Duration.ofHours(2)));
        assertThat(window.covers(start.minusSeconds(1))).isFalse();
        assertThat(window.covers(start)).isTrue();
        assertThat(window.covers(start.plus(Duration.ofMinutes(119)))).isTrue();
        assertThat(window.covers(start.plus(Duration.ofHours(2)))).isFalse();
        assertThatThrownBy(() -> new MaintenanceWindow.OneOff(start, start)).hasMessageContaining("end:");
    }

    @Test
    void aRecurringWindowCoversEachStartForItsDuration() {
        MaintenanceWindow window = new MaintenanceWindow.Recurring("0 2 * * SUN", "Europe/Berlin", Duration.ofHours(1));
        assertThat(window.covers(berlin("2026-12-13T02:00:00"))).isTrue(); // a Sunday
        assertThat(window.covers(berlin("2026-12-13T02:59:59"))).isTrue();
        assertThat(window.covers(berlin("2026-12-13T03:00:00"))).isFalse();
        assertThat(window.covers(berlin("2026-12-13T01:59:59"))).isFalse();
        assertThat(window.covers(berlin("2026-12-14T02:30:00"))).isFalse(); // Monday
    }

    @Test
    void aStartInTheSpringForwardGapMovesPastTheGapAndLastsItsElapsedDuration() {
        // 2026-03-29 in Berlin: 02:00 becomes 03:00; the 02:30 start happens at 03:30 CEST.
        MaintenanceWindow window = new MaintenanceWindow.Recurring("30 2 * * *", "Europe/Berlin", Duration.ofHours(1));
        Instant startAfterGap = ZonedDateTime.of(2026, 3, 29, 3, 30, 0, 0, BERLIN).toInstant();
        assertThat(window.covers(startAfterGap.minusSeconds(1))).isFalse();
        assertThat(window.covers(startAfterGap)).isTrue();
        assertThat(window.covers(startAfterGap.plus(Duration.ofMinutes(59)))).isTrue();
        assertThat(window.covers(startAfterGap.plus(Duration.ofHours(1)))).isFalse();
        // The day before and after, 02:30 local as usual.
        assertThat(window.covers(berlin("2026-03-28T02:30:00"))).isTrue();
        assertThat(window.covers(berlin("2026-03-30T02:30:00"))).isTrue();
        assertThat(window.covers(berlin("2026-03-30T03:30:00"))).isFalse();
    }

    @Test
    void aStartInTheRepeatedAutumnHourHappensOnceAtItsFirstOccurrence() {
        // 2026-10-25 in Berlin: 03:00 CEST becomes 02:00 CET; 02:30 occurs twice.
        MaintenanceWindow window = new MaintenanceWindow.Recurring("30 2 * * *", "Europe/Berlin",
                Duration.ofMinutes(30));
        Instant firstTwoThirty = Instant.parse("2026-10-25T00:30:00Z"); // 02:30 CEST
        Instant secondTwoThirty = Instant.parse("2026-10-25T01:30:00Z"); // 02:30 CET
        assertThat(window.covers(firstTwoThirty)).isTrue();
        assertThat(window.covers(firstTwoThirty.plus(Duration.ofMinutes(29)))).isTrue();
        assertThat(window.covers(secondTwoThirty)).isFalse();
        assertThat(window.covers(secondTwoThirty.plus(Duration.ofMinutes(10)))).isFalse();
    }

    @Test
    void windowsAreJsonAndBadOnesNameTheirField() throws Exception {
        ObjectMapper json = WireFormat.mapper();
        MaintenanceWindow recurring = json.readValue("{\"kind\":\"recurring\",\"cron\":\"0 2 * * SUN\","
                + "\"timeZone\":\"Europe/Berlin\",\"duration\":\"PT2H\"}", MaintenanceWindow.class);
        assertThat(json.readValue(json.writeValueAsString(recurring), MaintenanceWindow.class)).isEqualTo(recurring);
        assertThat(json.writeValueAsString(recurring)).contains("\"duration\":\"PT2H\"");
        assertThatThrownBy(() -> new MaintenanceWindow.Recurring("61 * * * *", "UTC", Duration.ofHours(1)))
                .hasMessageContaining("cron:");
        assertThatThrownBy(() -> new MaintenanceWindow.Recurring("0 2 * * *", "Mars/Olympus", Duration.ofHours(1)))
                .hasMessageContaining("timeZone:");
        assertThatThrownBy(() -> new MaintenanceWindow.Recurring("0 2 * * *", "UTC", Duration.ofDays(8)))
                .hasMessageContaining("duration:");
    }
}
