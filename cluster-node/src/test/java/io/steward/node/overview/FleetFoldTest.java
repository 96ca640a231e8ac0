package io.steward.node.overview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.steward.node.server.ServerSummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetFoldTest {
    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
    private static final Instant STALE_BEFORE = NOW.minusSeconds(120);

    private final FleetFold fold = new FleetFold();

    static ServerSummary summary(String id, String hostname, boolean online, Instant lastSeen, Double cpu) {
        return new ServerSummary(id, hostname, null, null, List.of(), null, online, lastSeen, "1.0",
                Instant.parse("2026-12-01T00:00:00Z"), null, List.of(), cpu, null, null, null, null, 0, 0);
    }

    private static List<String> ids(List<ServerSummary> summaries) {
        return summaries.stream().map(ServerSummary::id).toList();
    }

    @Test
    void theFirstReadAsksEveryListedServerAndTheAnswersFillTheFleetInTheTablesOrder() {
        List<String> toAsk = fold.reconcile(List.of("b", "a", "c"), fold.mark(), STALE_BEFORE, false);
        assertThat(toAsk).containsExactly("b", "a", "c");

        // "c" was enrolled but never attached: its entity does not answer, and it is left out as before.
        fold.answered(List.of(summary("a", "alpha", true, NOW, 1.0), summary("b", "beta", true, NOW, 2.0)),
                fold.mark());

        assertThat(ids(fold.summaries())).containsExactly("b", "a");
        assertThat(fold.reconcile(List.of("b", "a", "c"), fold.mark(), STALE_BEFORE, false))
                .as("only the server nobody has heard of is asked again").containsExactly("c");
    }

    @Test
    void aPushReplacesTheSummaryAndANewServerIsAddedAtTheEnd() {
        fold.reconcile(List.of("a"), fold.mark(), STALE_BEFORE, false);
        fold.answered(List.of(summary("a", "alpha", true, NOW, 1.0)), fold.mark());

        assertThat(fold.changed(summary("a", "alpha", true, NOW.plusSeconds(1), 50.0))).isFalse();
        assertThat(fold.changed(summary("n", "new-one", true, NOW.plusSeconds(1), 7.0)))
                .as("a server not in the table as last read is new: the table is read again for its place")
                .isTrue();

        assertThat(fold.summaries()).extracting(ServerSummary::id, ServerSummary::cpuPercent)
                .containsExactly(tuple("a", 50.0),
                        tuple("n", 7.0));
    }

    @Test
    void anAnswerOvertakenByAPushDoesNotMoveTheServerBackInTime() {
        long askedAt = fold.mark();
        fold.changed(summary("a", "alpha", false, NOW.plusSeconds(5), 9.0)); // went offline after the ask left

        fold.answered(List.of(summary("a", "alpha", true, NOW, 1.0)), askedAt);

        assertThat(fold.summaries()).singleElement().satisfies(summary -> {
            assertThat(summary.online()).isFalse();
            assertThat(summary.cpuPercent()).isEqualTo(9.0);
        });
    }

    @Test
    void anAnswerToALaterAskReplacesAnOlderPush() {
        fold.changed(summary("a", "alpha", true, NOW, 1.0));
        long askedAt = fold.mark();

        fold.answered(List.of(summary("a", "alpha", false, NOW, 1.0)), askedAt);

        assertThat(fold.summaries()).singleElement().extracting(ServerSummary::online).isEqualTo(false);
    }

    @Test
    void aDeletedServerLeavesAndNeitherALatePushNorALateAnswerBringsItBack() {
        fold.changed(summary("a", "alpha", true, NOW, 1.0));
        fold.changed(summary("b", "beta", true, NOW, 1.0));
        long askedAt = fold.mark();

        fold.removed("a");
        fold.changed(summary("a", "alpha", true, NOW.plusSeconds(1), 2.0));
        fold.answered(List.of(summary("a", "alpha", true, NOW.plusSeconds(1), 2.0)), askedAt);

        assertThat(ids(fold.summaries())).containsExactly("b");
        assertThat(fold.reconcile(List.of("a", "b"), fold.mark(), STALE_BEFORE, true))
                .as("a deleted server still listed (its row goes after the entity) is not asked").containsExactly("b");
    }

    @Test
    void aServerTheTableNoLongerListsIsForgottenUnlessHeardOfSinceTheReadBegan() {
        fold.changed(summary("gone", "gone", true, NOW, 1.0)); // its deletion's push was lost
        long readAt = fold.mark();
        fold.changed(summary("fresh", "fresh", true, NOW, 1.0)); // enrolled while the table was being read

        fold.reconcile(List.of("kept"), readAt, STALE_BEFORE, false);

        assertThat(ids(fold.summaries())).containsExactly("fresh");
    }

    @Test
    void anOnlineServerThatStoppedReportingIsAskedAgainButAnOfflineOneIsNot() {
        fold.changed(summary("quiet", "quiet", true, STALE_BEFORE.minusSeconds(1), 1.0));
        fold.changed(summary("offline", "offline", false, STALE_BEFORE.minusSeconds(600), 1.0));
        fold.changed(summary("fresh", "fresh", true, NOW, 1.0));

        assertThat(fold.reconcile(List.of("quiet", "offline", "fresh"), fold.mark(), STALE_BEFORE, false))
                .containsExactly("quiet");
        assertThat(fold.reconcile(List.of("quiet", "offline", "fresh"), fold.mark(), STALE_BEFORE, true))
                .as("the periodic full refresh asks everyone").containsExactly("quiet", "offline", "fresh");
    }
}
