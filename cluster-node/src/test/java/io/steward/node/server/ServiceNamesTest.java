package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.services.ServiceState;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceNamesTest {
    private static ServiceState service(String name, ServiceState.Kind kind) {
        return new ServiceState(name, kind, ServiceState.Status.RUNNING, "test", null, null, null, null, null, null,
                true);
    }

    @Test
    void aUnitsFullNameBecomesTheNameItsChecksReport() {
        assertThat(ServiceNames.asReported("nginx.service", List.of(service("nginx", ServiceState.Kind.SYSTEMD))))
                .isEqualTo("nginx");
    }

    @Test
    void otherNamesAreLeftAsAsked() {
        List<ServiceState> checked = List.of(service("nginx", ServiceState.Kind.SYSTEMD),
                service("worker", ServiceState.Kind.PROCESS), service("db.service", ServiceState.Kind.SYSTEMD));
        assertThat(ServiceNames.asReported("nginx", checked)).isEqualTo("nginx");
        // A process watched by name is not a unit: its ".service" spelling is another name.
        assertThat(ServiceNames.asReported("worker.service", checked)).isEqualTo("worker.service");
        // Listed under the full name: kept.
        assertThat(ServiceNames.asReported("db.service", checked)).isEqualTo("db.service");
        // Not checked at all: nothing to match.
        assertThat(ServiceNames.asReported("redis.service", checked)).isEqualTo("redis.service");
        assertThat(ServiceNames.asReported(".service", checked)).isEqualTo(".service");
        // A unit and a process both reported as "nginx": ambiguous, left for the agent.
        assertThat(ServiceNames.asReported("nginx.service", List.of(service("nginx", ServiceState.Kind.SYSTEMD),
                service("nginx", ServiceState.Kind.PROCESS)))).isEqualTo("nginx.service");
    }
}
