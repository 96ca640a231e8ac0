package io.steward.node.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.node.settings.SettingsValidation.Outcome;
import io.steward.node.settings.SettingsValidation.Requested;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsValidationTest {
    private static final Map<SettingKey, String> CONFIGURED = configured();

    private static Map<SettingKey, String> configured() {
        Map<SettingKey, String> values = new EnumMap<>(SettingKey.class);
        values.put(SettingKey.OFFLINE_AFTER_MISSED_REPORTS, "3");
        values.put(SettingKey.AGENT_INTERVAL, "5s");
        values.put(SettingKey.PUBLIC_URL, "");
        values.put(SettingKey.RETENTION_RAW, "7d");
        values.put(SettingKey.RETENTION_ONE_MINUTE, "90d");
        values.put(SettingKey.RETENTION_ONE_HOUR, "730d");
        return values;
    }

    private static Map<String, Requested> request(Object... pairs) {
        Map<String, Requested> request = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object value = pairs[i + 1];
            request.put((String) pairs[i], value == null ? new Requested.Reset()
                    : value instanceof Long number ? new Requested.Number(number)
                    : value instanceof Requested requested ? requested : new Requested.Text((String) value));
        }
        return request;
    }

    @Test
    void validValuesBecomeOverridesInCanonicalFormWithTheirChanges() {
        Outcome outcome = SettingsValidation.validate(CONFIGURED, Map.of(), request(
                "offlineAfterMissedReports", 5L, "agentInterval", "PT10S", "retentionRaw", "14d",
                "publicUrl", " https://steward.example.com/ "));
        assertThat(outcome).isInstanceOf(Outcome.Valid.class);
        Outcome.Valid valid = (Outcome.Valid) outcome;
        assertThat(valid.stored()).containsEntry(SettingKey.OFFLINE_AFTER_MISSED_REPORTS, "5")
                .containsEntry(SettingKey.AGENT_INTERVAL, "10s")
                .containsEntry(SettingKey.RETENTION_RAW, "14d")
                .containsEntry(SettingKey.PUBLIC_URL, "https://steward.example.com")
                .hasSize(4);
        assertThat(valid.result().offlineAfterMissedReports()).isEqualTo(5);
        assertThat(valid.result().agentInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(valid.result().rawRetention()).isEqualTo(Duration.ofDays(14));
        assertThat(valid.result().minuteRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(valid.changes()).extracting(SettingsValidation.Change::key).containsExactly(
                SettingKey.OFFLINE_AFTER_MISSED_REPORTS, SettingKey.AGENT_INTERVAL, SettingKey.PUBLIC_URL,
                SettingKey.RETENTION_RAW);
        assertThat(valid.changes().get(0)).isEqualTo(new SettingsValidation.Change(
                SettingKey.OFFLINE_AFTER_MISSED_REPORTS, "3", "5", "5"));
    }

    @Test
    void everyBadFieldIsNamedAndNothingIsValid() {
        Outcome outcome = SettingsValidation.validate(CONFIGURED, Map.of(), request(
                "offlineAfterMissedReports", 0L, "agentInterval", "2m", "retentionRaw", "soon",
                "publicUrl", "ftp://x", "colour", "blue", "retentionOneHour", 30L,
                "retentionOneMinute", new Requested.Unusable("boolean")));
        assertThat(outcome).isInstanceOf(Outcome.Invalid.class);
        Map<String, String> errors = ((Outcome.Invalid) outcome).errors();
        assertThat(errors.keySet()).containsExactly("offlineAfterMissedReports", "agentInterval", "retentionRaw",
                "publicUrl", "colour", "retentionOneHour", "retentionOneMinute");
        assertThat(errors.get("offlineAfterMissedReports")).isEqualTo("must be from 1 to 100, was 0");
        assertThat(errors.get("agentInterval")).isEqualTo("must be from 1s to 1m, was 2m");
        assertThat(errors.get("retentionRaw")).contains("'soon' is not a duration");
        assertThat(errors.get("publicUrl")).contains("http:// or https://");
        assertThat(errors.get("colour")).startsWith("is not a setting");
        assertThat(errors.get("retentionOneHour")).contains("a number needs a unit");
    }

    @Test
    void retentionMayNotShrinkFromFineToCoarseTiers() {
        Outcome outcome = SettingsValidation.validate(CONFIGURED, Map.of(), request("retentionOneMinute", "3d"));
        assertThat(outcome).isInstanceOf(Outcome.Invalid.class);
        assertThat(((Outcome.Invalid) outcome).errors()).containsOnlyKeys("retentionOneMinute");
        assertThat(((Outcome.Invalid) outcome).errors().get("retentionOneMinute"))
                .contains("must not shrink", "raw 7d", "one-minute 3d");
        // Both together are fine.
        assertThat(SettingsValidation.validate(CONFIGURED, Map.of(), request("retentionRaw", "2d",
                "retentionOneMinute", "3d"))).isInstanceOf(Outcome.Valid.class);
    }

    @Test
    void nullResetsToTheConfigFileAndTheConfigFilesValueIsNoOverride() {
        Map<SettingKey, String> stored = Map.of(SettingKey.OFFLINE_AFTER_MISSED_REPORTS, "6",
                SettingKey.AGENT_INTERVAL, "10s");
        Outcome.Valid valid = (Outcome.Valid) SettingsValidation.validate(CONFIGURED, stored,
                request("offlineAfterMissedReports", null, "agentInterval", "5s"));
        assertThat(valid.stored()).isEmpty();
        assertThat(valid.result().offlineAfterMissedReports()).isEqualTo(3);
        assertThat(valid.changes()).containsExactly(
                new SettingsValidation.Change(SettingKey.OFFLINE_AFTER_MISSED_REPORTS, "6", "3", null),
                new SettingsValidation.Change(SettingKey.AGENT_INTERVAL, "10s", "5s", null));
    }

    @Test
    void anUnchangedValueIsNoChangeAndAnEmptyRequestIsRefused() {
        Map<SettingKey, String> stored = Map.of(SettingKey.OFFLINE_AFTER_MISSED_REPORTS, "6");
        Outcome.Valid valid = (Outcome.Valid) SettingsValidation.validate(CONFIGURED, stored,
                request("offlineAfterMissedReports", "6"));
        assertThat(valid.changes()).isEmpty();
        assertThat(SettingsValidation.validate(CONFIGURED, stored, Map.of())).isInstanceOf(Outcome.Invalid.class);
    }

    @Test
    void aStoredValueThisNodeCannotReadFallsBackToTheConfigFile() {
        Map<SettingKey, String> effective = SettingsValidation.effective(CONFIGURED,
                Map.of(SettingKey.RETENTION_RAW, "forever"));
        assertThat(effective.get(SettingKey.RETENTION_RAW)).isEqualTo("7d");
    }

    @Test
    void durationsReadBothSpellingsAndPrintTheLargestExactUnit() {
        assertThat(SettingText.parseDuration("36h")).contains(Duration.ofHours(36));
        assertThat(SettingText.parseDuration("P7D")).contains(Duration.ofDays(7));
        assertThat(SettingText.parseDuration("7 days")).isEmpty();
        assertThat(SettingText.duration(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(SettingText.duration(Duration.ofDays(14))).isEqualTo("14d");
        assertThat(SettingText.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(SettingText.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
