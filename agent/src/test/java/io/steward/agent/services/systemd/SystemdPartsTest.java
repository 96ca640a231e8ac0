package io.steward.agent.services.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure pieces: unit names, show blocks, timestamps, list-units lines. */
class SystemdPartsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void unitNamesGetServiceUnlessTheyHaveAType() {
        assertThat(UnitNames.unit("nginx")).isEqualTo("nginx.service");
        assertThat(UnitNames.unit("nginx.service")).isEqualTo("nginx.service");
        assertThat(UnitNames.unit("php8.2-fpm")).isEqualTo("php8.2-fpm.service");
        assertThat(UnitNames.unit("backup.timer")).isEqualTo("backup.timer");
        assertThat(UnitNames.displayName("nginx.service")).isEqualTo("nginx");
        assertThat(UnitNames.displayName("backup.timer")).isEqualTo("backup.timer");
        assertThat(UnitNames.isValid("getty@tty1.service")).isTrue();
        assertThat(UnitNames.isValid("--all")).isFalse();
        assertThat(UnitNames.isValid("a b")).isFalse();
        assertThat(UnitNames.isValid("dev-disk-by\\x2duuid.swap")).isFalse();
    }

    @Test
    void showBlocksAreSplitOnBlankLinesAndValuesMayContainEquals() {
        List<UnitProperties> blocks = UnitProperties.parseBlocks("Id=a.service\nDescription=x=y\n\n\nId=b.service\n");
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0).text("Description")).isEqualTo("x=y");
        assertThat(blocks.get(1).text("Id")).isEqualTo("b.service");
        assertThat(blocks.get(1).textOrNull("Description")).isNull();
        assertThat(UnitProperties.parseBlocks("")).isEmpty();
    }

    @Test
    void countsAreNullWhenUnsetOrUnreadable() {
        UnitProperties block = UnitProperties.parseBlocks("""
                A=42
                B=[not set]
                C=18446744073709551615
                D=
                E=infinity
                F=-1
                """).get(0);
        assertThat(block.count("A")).isEqualTo(42L);
        assertThat(block.count("B")).isNull();
        assertThat(block.count("C")).isNull();
        assertThat(block.count("D")).isNull();
        assertThat(block.count("E")).isNull();
        assertThat(block.count("F")).isNull();
        assertThat(block.count("missing")).isNull();
    }

    @Test
    void timestampsInUtcWithOrWithoutWeekdayAndMicroseconds() {
        Instant expected = Instant.parse("2026-11-29T10:00:00Z");
        assertThat(SystemdTime.parse("Sun 2026-11-29 10:00:00 UTC", BERLIN)).isEqualTo(expected);
        assertThat(SystemdTime.parse("2026-11-29 10:00:00 UTC", BERLIN)).isEqualTo(expected);
        assertThat(SystemdTime.parse("Sun 2026-11-29 10:00:00.250000 UTC", BERLIN))
                .isEqualTo(Instant.parse("2026-11-29T10:00:00.25Z"));
        assertThat(SystemdTime.parse("Sun 2026-11-29 10:00:00 +0100", ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
    }

    @Test
    void timestampsInTheLocalZoneAreReadByItsAbbreviation() {
        assertThat(SystemdTime.parse("Sun 2026-11-29 11:00:00 CET", BERLIN))
                .isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(SystemdTime.parse("Wed 2026-07-01 12:00:00 CEST", BERLIN))
                .isEqualTo(Instant.parse("2026-07-01T10:00:00Z"));
        // The hour that happens twice when summer time ends: the abbreviation says which.
        assertThat(SystemdTime.parse("Sun 2026-10-25 02:30:00 CEST", BERLIN))
                .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(SystemdTime.parse("Sun 2026-10-25 02:30:00 CET", BERLIN))
                .isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
        // Another zone's abbreviation still means that zone; no zone at all means local time.
        assertThat(SystemdTime.parse("Wed 2026-07-01 03:00:00 PDT", ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2026-07-01T10:00:00Z"));
        assertThat(SystemdTime.parse("2026-07-01 12:00:00", BERLIN)).isEqualTo(Instant.parse("2026-07-01T10:00:00Z"));
    }

    @Test
    void emptyOrUnreadableTimestampsAreNull() {
        assertThat(SystemdTime.parse("", BERLIN)).isNull();
        assertThat(SystemdTime.parse("n/a", BERLIN)).isNull();
        assertThat(SystemdTime.parse(null, BERLIN)).isNull();
        assertThat(SystemdTime.parse("Sun 2026-13-45 10:00:00 UTC", BERLIN)).isNull();
        assertThat(SystemdTime.parse("yesterday at noon", BERLIN)).isNull();
    }

    @Test
    void listUnitsLinesGiveServiceNamesOnly() {
        String output = """
                cron.service                 loaded    active   running Regular background program processing daemon
                ● nginx.service              loaded    failed   failed  A high performance web server
                auditd.service               not-found inactive dead    auditd.service
                systemd-fsck@dev-disk-by\\x2duuid-1.service loaded active exited File System Check

                """;
        assertThat(SystemdBackend.listedUnits(output)).containsExactly("cron.service", "nginx.service");
    }
}
