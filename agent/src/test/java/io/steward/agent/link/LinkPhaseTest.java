package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.link.LinkPhase.Attempt;
import io.steward.agent.link.LinkPhase.Closing;
import io.steward.agent.link.LinkPhase.Connecting;
import io.steward.agent.link.LinkPhase.Disconnected;
import io.steward.agent.link.LinkPhase.Draining;
import io.steward.agent.link.LinkPhase.Handshaking;
import io.steward.agent.link.LinkPhase.StopStep;
import io.steward.agent.link.LinkPhase.Stopped;
import io.steward.agent.link.LinkPhase.Streaming;
import org.junit.jupiter.api.Test;

/** What each phase holds and allows, without sockets or threads. */
class LinkPhaseTest {
    private static final Attempt ENROLLING = new Attempt(7, true);

    private final QuietWebSocket socket = new QuietWebSocket();
    private final Handshaking handshaking = new Handshaking(ENROLLING, new Connection(socket), null);

    private Streaming streaming() {
        return handshaking.welcomed(ENROLLING, 5, null, null);
    }

    @Test
    void onlyAWelcomedConnectionCountsAsConnectedUntilItIsLost() {
        assertThat(new Disconnected(null).connected()).isFalse();
        assertThat(new Connecting(ENROLLING, "{}").connected()).isFalse();
        assertThat(handshaking.connected()).isFalse();
        assertThat(streaming().connected()).isTrue();
        assertThat(new Draining(streaming()).connected()).isTrue();
        assertThat(new Closing(streaming()).connected()).isTrue();
        assertThat(new Closing(handshaking).connected()).isFalse();
        assertThat(new Stopped().connected()).isFalse();
    }

    @Test
    void aStopEndsAtOnceWithoutASocketClosesAnIdleOneAndDrainsReportsInFlight() {
        assertThat(new Disconnected(null).onStop()).isEqualTo(StopStep.STOP_NOW);
        assertThat(new Connecting(ENROLLING, "{}").onStop()).isEqualTo(StopStep.STOP_NOW);
        assertThat(new Stopped().onStop()).isEqualTo(StopStep.STOP_NOW);
        assertThat(handshaking.onStop()).isEqualTo(StopStep.CLOSE);
        Streaming idle = streaming();
        assertThat(idle.onStop()).isEqualTo(StopStep.CLOSE);
        Streaming busy = streaming();
        busy.inFlight().sent(5, 0);
        assertThat(busy.onStop()).isEqualTo(StopStep.DRAIN);
        assertThat(new Draining(busy).onStop()).isEqualTo(StopStep.ALREADY_STOPPING);
        assertThat(new Closing(busy).onStop()).isEqualTo(StopStep.ALREADY_STOPPING);
    }

    @Test
    void losingTheConnectionEndsTheLinkOnlyOnceAStopBegan() {
        assertThat(new Connecting(ENROLLING, "{}").stopping()).isFalse();
        assertThat(handshaking.stopping()).isFalse();
        assertThat(streaming().stopping()).isFalse();
        assertThat(new Draining(streaming()).stopping()).isTrue();
        assertThat(new Closing(handshaking).stopping()).isTrue();
    }

    @Test
    void aWelcomeStartsAFreshStreamAtTheCursorOnTheSameSocket() {
        Streaming stream = handshaking.welcomed(ENROLLING.enrolled(), 42, null, null);
        assertThat(stream.connection()).isSameAs(handshaking.connection());
        assertThat(stream.cursor()).isEqualTo(42);
        assertThat(stream.inFlight().isEmpty()).isTrue();
        assertThat(stream.resend()).isEqualTo(Resend.NONE);
        assertThat(stream.attempt()).isEqualTo(new Attempt(7, false));
    }

    @Test
    void aClosingHandshakeStillWaitsForItsWelcomeAndAClosingStreamStillCountsAnswers() {
        assertThat(new Closing(handshaking).handshaking()).contains(handshaking);
        assertThat(new Closing(handshaking).streaming()).isEmpty();
        Streaming stream = streaming();
        assertThat(new Closing(stream).handshaking()).isEmpty();
        assertThat(new Closing(stream).streaming()).contains(stream);
        assertThat(new Closing(new Draining(stream)).streaming()).contains(stream);
        assertThat(new Draining(stream).attempt()).isEqualTo(ENROLLING);
    }

    @Test
    void aDrainingStreamIsDrainedWhenTheLastReportIsAnswered() {
        Streaming stream = streaming();
        stream.inFlight().sent(5, 0);
        stream.inFlight().sent(6, 0);
        Draining draining = new Draining(stream);
        stream.inFlight().answered(6);
        assertThat(draining.drained()).isFalse();
        stream.inFlight().answered(5);
        assertThat(draining.drained()).isTrue();
    }

    @Test
    void movingTheCursorOrPausingKeepsEverythingElse() {
        Streaming stream = streaming();
        Streaming moved = stream.withCursor(9).withResend(stream.resend().pause());
        assertThat(moved.cursor()).isEqualTo(9);
        assertThat(moved.resend().waiting()).isTrue();
        assertThat(moved.inFlight()).isSameAs(stream.inFlight());
        assertThat(moved.connection()).isSameAs(stream.connection());
    }

    @Test
    void abandoningAnOpenPhaseAbortsItsSocketWhateverPhaseStartedTheClose() {
        new Closing(new Draining(streaming())).abandon();
        assertThat(socket.aborted).isTrue();
        new Connecting(ENROLLING, "{}").abandon(); // no socket yet: nothing to do
    }
}
