package io.steward.agent.services.systemd;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Timestamps as {@code systemctl show} prints them: "Sun 2026-11-29 10:00:00 UTC", optionally with microseconds,
 * in the host's local time zone named by its abbreviation ("CEST"). Abbreviations are ambiguous in general, but
 * the agent runs on the host that printed them, so the local zone is tried first and is the last resort.
 */
final class SystemdTime {
    private static final DateTimeFormatter ABBREVIATION = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);

    private SystemdTime() {}

    /** The instant, or null when the value is empty ("never"), "n/a" or cannot be read. */
    static Instant parse(String value, ZoneId localZone) {
        if (value == null) {
            return null;
        }
        String[] parts = value.strip().split("\\s+");
        int at = parts.length > 0 && parts[0].chars().allMatch(Character::isLetter) ? 1 : 0; // weekday
        if (parts.length - at < 2) {
            return null;
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.of(LocalDate.parse(parts[at]), LocalTime.parse(parts[at + 1]));
        } catch (DateTimeException e) {
            return null;
        }
        String zone = parts.length > at + 2 ? parts[at + 2] : null;
        return resolve(local, zone, localZone).toInstant();
    }

    private static ZonedDateTime resolve(LocalDateTime local, String zone, ZoneId localZone) {
        if (zone == null) {
            return local.atZone(localZone);
        }
        if (zone.equals("UTC") || zone.equals("GMT") || zone.equals("Z")) {
            return local.atZone(ZoneOffset.UTC);
        }
        // The local zone's own abbreviation, checked per valid offset so the repeated hour in autumn is right.
        for (ZoneOffset offset : localZone.getRules().getValidOffsets(local)) {
            ZonedDateTime candidate = ZonedDateTime.ofLocal(local, localZone, offset);
            if (zone.equals(ABBREVIATION.format(candidate))) {
                return candidate;
            }
        }
        try {
            return local.atZone(ZoneId.of(zone)); // "+0100", "Europe/Berlin", "CET"
        } catch (DateTimeException e) {
            // not an id or offset
        }
        try {
            return local.atZone(ABBREVIATION.parse(zone, ZoneId::from)); // "PDT" on a host whose zone is not PT
        } catch (DateTimeException e) {
            return local.atZone(localZone);
        }
    }
}
