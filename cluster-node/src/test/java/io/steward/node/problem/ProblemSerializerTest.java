package io.steward.node.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An entity's categorised failure crosses the cluster inside a StatusReply and keeps its code. */
class ProblemSerializerTest {
    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("ProblemSerializerTest", ConfigFactory.load());
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void everyCodeAndItsMessageSurviveTheRoundTripInsideAStatusReply() {
        Serialization serialization = SerializationExtension.get(kit.system());
        for (Problem.Code code : Problem.Code.values()) {
            StatusReply<String> reply = StatusReply.error(new Problem(code, "because of ü\nand a second line"));
            byte[] bytes = serialization.serialize(reply).get();
            var serializer = serialization.findSerializerFor(reply);
            @SuppressWarnings("unchecked")
            StatusReply<String> back = (StatusReply<String>) serialization.deserialize(bytes,
                    serializer.identifier(), org.apache.pekko.serialization.Serializers.manifestFor(serializer, reply))
                    .get();
            assertThat(back.getError()).isInstanceOfSatisfying(Problem.class, problem -> {
                assertThat(problem.code()).isEqualTo(code);
                assertThat(problem.getMessage()).isEqualTo("because of ü\nand a second line");
            });
        }
    }

    @Test
    void aCodeThisNodeDoesNotKnowIsReadAsInternalWithItsMessage() throws Exception {
        Object problem = new ProblemSerializer().fromBinary("FROM_THE_FUTURE\nsomething new".getBytes(), "P");
        assertThat(problem).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.code()).isEqualTo(Problem.Code.INTERNAL);
            assertThat(p.getMessage()).isEqualTo("something new");
        });
    }
}
