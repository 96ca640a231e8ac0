package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.fleet.ServerId;
import io.steward.core.services.ServiceAction;
import io.steward.node.problem.Problem;
import io.steward.node.testing.EntityTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that is not registered, or was deleted, answers every request with one error (not found), never silence
 * (which would leave an HTTP request waiting for its timeout); an agent attaching under a deleted id hears "gone".
 */
class ServerEntityUnknownTest {

    @RegisterExtension
    static final EntityTestKit kit = new EntityTestKit("ServerEntityUnknownTest");

    /** Every request type an entity takes, built with a reply address (Attach is checked on its own). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Function<ActorRef, ServerCommand>> requests() {
        return List.of(
                replyTo -> new LifecycleCommand.Delete("alice", replyTo),
                replyTo -> new LifecycleCommand.ReEnroll("req-1", "web-1", "127.0.0.1", replyTo),
                replyTo -> new LifecycleCommand.DecideCredential(LifecycleCommand.CredentialDecision.APPROVED,
                        "req-1", "alice", replyTo),
                replyTo -> new LiveCommand.GetSummary(replyTo),
                replyTo -> new LiveCommand.GetDetail(replyTo),
                replyTo -> new DetailsCommand.UpdateDetails(new DetailsCommand.Patch(
                        Set.of(DetailsCommand.Field.NOTES), null, null, null, "n"), "alice", replyTo),
                replyTo -> new ChannelCommand.ListProcesses(replyTo),
                replyTo -> new ChannelCommand.Forward(new io.steward.core.protocol.NodeMessage.ChecksRun(
                        List.of("site-abc123")), replyTo),
                replyTo -> new AlertCommand.Acknowledge("cpu|cpu.percent", "alice", null, replyTo),
                replyTo -> new AlertCommand.RecordSilence("s1", Instant.now().plusSeconds(60), "alice", null,
                        replyTo),
                replyTo -> new ServiceCommand.GetServices(replyTo),
                replyTo -> new ServiceCommand.RunServiceAction("nginx", ServiceAction.RESTART, 0, "alice", replyTo),
                replyTo -> new ServiceCommand.SetAutoRestart("nginx", false, "alice", replyTo),
                replyTo -> new BackupCommand.GetBackups(replyTo),
                replyTo -> new BackupCommand.CreateJob(BackupSamples.everyHours("www", 6, Instant.now()), "alice",
                        replyTo),
                replyTo -> new BackupCommand.UpdateJob(BackupSamples.everyHours("www", 6, Instant.now()), "alice",
                        replyTo),
                replyTo -> new BackupCommand.DeleteJob("www", "alice", replyTo),
                replyTo -> new BackupCommand.RunNow("www", "alice", replyTo),
                replyTo -> new BackupCommand.TrustHostKey("www", "SHA256:x", "alice", replyTo),
                replyTo -> new BackupCommand.Browse("www", "2026-12-02T083000Z", "/", replyTo),
                replyTo -> new BackupCommand.Restore("www", "2026-12-02T083000Z", "/srv/www/a", null, "alice",
                        replyTo));
    }

    private static EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity(String id) {
        EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity =
                EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(ServerId.of(id),
                        new ServerEntitySettings(3, 5, Duration.ofSeconds(1)), ServerEntity.Collaborators.NONE));
        entity.clear();
        return entity;
    }

    @Test
    void theListCoversEveryRequestTypeThereIs() {
        Set<Class<?>> listed = new HashSet<>();
        for (Function<ActorRef, ServerCommand> request : requests()) {
            listed.add(request.apply(kit.createTestProbe().getRef()).getClass());
        }
        listed.add(LifecycleCommand.Attach.class);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(requestTypes());
    }

    @Test
    void anUnregisteredServerAnswersEveryRequestNotFound() {
        assertEveryRequestIsNotFound(entity("never-registered"), null);
    }

    @Test
    void aDeletedServerAnswersEveryRequestNotFoundAndAnAttachGoneButADeleteDone() {
        var entity = entity("deleted-1");
        var attach = entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1",
                "0.1.0", null, replyTo));
        assertThat(attach.reply().isSuccess()).isTrue();
        assertThat(entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Delete("alice", replyTo))
                .reply().isSuccess()).isTrue();

        assertEveryRequestIsNotFound(entity, LifecycleCommand.Delete.class);
        // Asked again (the first one's cleanup failed half-way): done, so its caller cleans up again.
        var deleteAgain = entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Delete("alice",
                replyTo));
        assertThat(deleteAgain.reply().isSuccess()).isTrue();
        assertThat(deleteAgain.hasNoEvents()).isTrue();
        StatusReply<Done> again = entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach(
                "web-1", "m-1", "0.1.0", null, replyTo)).reply();
        assertThat(again.isError()).isTrue();
        assertThat(((Problem) again.getError()).code()).isEqualTo(Problem.Code.GONE);
    }

    @Test
    void anAttachOfAnAgentWithACredentialDoesNotRegisterAServerThatIsNotRegistered() {
        // The server was deleted (its history with it) while its agent's attach was on its way: it stays deleted.
        var entity = entity("deleted-history-1");
        var attach = entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1",
                "0.1.0", null, null, true, replyTo));
        assertThat(attach.reply().isError()).isTrue();
        assertThat(((Problem) attach.reply().getError()).code()).isEqualTo(Problem.Code.GONE);
        assertThat(attach.hasNoEvents()).isTrue();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void assertEveryRequestIsNotFound(
            EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity, Class<?> except) {
        for (Function<ActorRef, ServerCommand> request : requests()) {
            if (request.apply(kit.createTestProbe().getRef()).getClass() == except) {
                continue;
            }
            var result = entity.runCommand(replyTo -> request.apply(replyTo));
            StatusReply<?> reply = (StatusReply<?>) result.reply();
            String name = result.command().getClass().getSimpleName();
            assertThat(reply.isError()).as(name).isTrue();
            assertThat(reply.getError()).as(name).isInstanceOf(Problem.class);
            assertThat(((Problem) reply.getError()).code()).as(name).isEqualTo(Problem.Code.NOT_FOUND);
            assertThat(result.hasNoEvents()).as(name).isTrue();
        }
    }

    /** The request records under ServerCommand's sealed tree. */
    private static Set<Class<?>> requestTypes() {
        Set<Class<?>> found = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(ServerCommand.class));
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (type.isSealed()) {
                todo.addAll(List.of(type.getPermittedSubclasses()));
            } else if (ServerCommand.Request.class.isAssignableFrom(type)) {
                found.add(type);
            }
        }
        return found;
    }
}
