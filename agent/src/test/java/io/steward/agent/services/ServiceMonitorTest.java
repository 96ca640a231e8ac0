package io.steward.agent.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import io.steward.core.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The order in which the monitor tells the node about checks and actions. */
class ServiceMonitorTest {

    /** One supervised "worker": its first check stops after reading the status until the test lets it go on. */
    private static final class HeldCheckBackend implements ServiceBackend {
        final CountDownLatch checkRead = new CountDownLatch(1);
        final CountDownLatch checkMayGoOn = new CountDownLatch(1);
        private volatile boolean running = true;
        private volatile boolean first = true;

        @Override
        public List<ServiceState> check() {
            ServiceState.Status seen = running ? ServiceState.Status.RUNNING : ServiceState.Status.DOWN;
            if (first) {
                first = false;
                checkRead.countDown();
                try {
                    checkMayGoOn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of(new ServiceState("worker", ServiceState.Kind.PROCESS, seen, "test", null, null, null, null,
                    null, null, true));
        }

        @Override
        public boolean owns(String service) {
            return "worker".equals(service);
        }

        @Override
        public ActionResult act(String service, ServiceAction action, int lines) {
            running = action != ServiceAction.STOP;
            return ActionResult.ok("done");
        }
    }

    /**
     * A check that read "running" just before a person's stop, and is sent after the stop's result, must not say
     * "running": the node would take it for news and let its restart policy start the service again. It says
     * "unknown" for that service; the check the stop asks for then says "down". The stop does not wait for the check.
     */
    @Test
    void aCheckThatAnActionOverlapsReportsTheServiceUnknownAndTheActionDoesNotWait() throws Exception {
        HeldCheckBackend backend = new HeldCheckBackend();
        List<AgentMessage> sent = new CopyOnWriteArrayList<>();
        try (ServiceMonitor monitor = new ServiceMonitor(List.of(backend), sent::add)) {
            Thread check = new Thread(monitor::checkNow, "test-check");
            check.start();
            assertThat(backend.checkRead.await(10, TimeUnit.SECONDS)).isTrue();

            monitor.handle(new NodeMessage.ServiceCommand("c-1", "worker", ServiceAction.STOP, 0));
            Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(sent).singleElement()
                    .isInstanceOf(AgentMessage.CommandResult.class)); // answered while the check is held
            backend.checkMayGoOn.countDown();
            check.join(10_000);

            Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(sent).hasSize(3));
            assertThat(status(sent.get(1))).as("the held check").isEqualTo(ServiceState.Status.UNKNOWN);
            assertThat(status(sent.get(2))).as("the check after the stop").isEqualTo(ServiceState.Status.DOWN);
        }
    }

    /** A check with nothing acting meanwhile reports what it read. */
    @Test
    void aCheckNoActionOverlapsReportsWhatItRead() throws Exception {
        HeldCheckBackend backend = new HeldCheckBackend();
        backend.checkMayGoOn.countDown();
        List<AgentMessage> sent = new CopyOnWriteArrayList<>();
        try (ServiceMonitor monitor = new ServiceMonitor(List.of(backend), sent::add)) {
            monitor.checkNow();
            assertThat(sent).singleElement().satisfies(message ->
                    assertThat(status(message)).isEqualTo(ServiceState.Status.RUNNING));
        }
    }

    private static ServiceState.Status status(AgentMessage message) {
        assertThat(message).isInstanceOf(AgentMessage.Services.class);
        return ((AgentMessage.Services) message).services().get(0).status();
    }
}
