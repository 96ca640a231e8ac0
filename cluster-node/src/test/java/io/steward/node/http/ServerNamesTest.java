package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.node.server.ServerSummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How /api/check finds the server a monitoring script names. */
class ServerNamesTest {
    private static final ServerSummary WEB = summary("a1", "web-1", "Shop front");
    private static final ServerSummary DB = summary("b2", "db-1", null);
    private static final ServerSummary OTHER_DB = summary("c3", "DB-1", null);

    @Test
    void anIdWinsThenAUniqueHostnameOrDisplayNameInAnyCase() {
        assertThat(ServerNames.resolve(List.of(WEB, DB), "a1")).isEqualTo(new ServerNames.Resolution.Found(WEB));
        assertThat(ServerNames.resolve(List.of(WEB, DB), "WEB-1")).isEqualTo(new ServerNames.Resolution.Found(WEB));
        assertThat(ServerNames.resolve(List.of(WEB, DB), "shop front"))
                .isEqualTo(new ServerNames.Resolution.Found(WEB));
        assertThat(ServerNames.resolve(List.of(WEB, DB), "mail-1")).isEqualTo(new ServerNames.Resolution.NotFound());
    }

    @Test
    void aNameTwoServersShareIsAmbiguousAndNamesBoth() {
        assertThat(ServerNames.resolve(List.of(WEB, DB, OTHER_DB), "db-1"))
                .isEqualTo(new ServerNames.Resolution.Ambiguous(List.of("b2", "c3")));
        assertThat(ServerNames.resolve(List.of(WEB, DB, OTHER_DB), "c3"))
                .isEqualTo(new ServerNames.Resolution.Found(OTHER_DB));
    }

    @Test
    void aServerIsShownByItsDisplayNameElseItsHostname() {
        assertThat(ServerNames.shown(WEB)).isEqualTo("Shop front");
        assertThat(ServerNames.shown(DB)).isEqualTo("db-1");
    }

    private static ServerSummary summary(String id, String hostname, String displayName) {
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        return new ServerSummary(id, hostname, displayName, null, List.of(), null, true, at, "1.0", at, null,
                List.of(), null, null, null, null, null, 0, 0);
    }
}
