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
     * A check that read "running" just before a person's stop is sent before the stop's result, not after it: the
     * node takes a "running" read after the stop's result as news and lets its restart policy start the service.
     */
    @Test
    void aCheckThatReadTheServiceBeforeAnActionIsSentBeforeTheActionsResult() throws Exception {
        HeldCheckBackend backend = new HeldCheckBackend();
        List<AgentMessage> sent = new CopyOnWriteArrayList<>();
        try (ServiceMonitor monitor = new ServiceMonitor(List.of(backend), sent::add)) {
            Thread check = new Thread(monitor::checkNow, "test-check");
            check.start();
            assertThat(backend.checkRead.await(10, TimeUnit.SECONDS)).isTrue();

            monitor.handle(new NodeMessage.ServiceCommand("c-1", "worker", ServiceAction.STOP, 0));
            // Time for the stop to run and answer if nothing holds it back (it does, with the check in progress).
            long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < deadline
                    && sent.stream().noneMatch(AgentMessage.CommandResult.class::isInstance)) {
                Thread.sleep(10);
            }
            backend.checkMayGoOn.countDown();
            check.join(10_000);

            // The held check, the stop's result, then the check the stop asks for.
            Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(sent).hasSize(3));
            assertThat(sent.get(0)).isInstanceOfSatisfying(AgentMessage.Services.class, services ->
                    assertThat(services.services().get(0).status()).isEqualTo(ServiceState.Status.RUNNING));
            assertThat(sent.get(1)).isInstanceOf(AgentMessage.CommandResult.class);
            assertThat(sent.get(2)).isInstanceOfSatisfying(AgentMessage.Services.class, services ->
                    assertThat(services.services().get(0).status()).isEqualTo(ServiceState.Status.DOWN));
        }
    }
}
