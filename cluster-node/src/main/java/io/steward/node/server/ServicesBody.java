package io.steward.node.server;

import com.fasterxml.jackson.annotation.JsonValue;
import io.steward.core.services.ServiceState;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The one JSON shape of a server's services: {@code GET /api/servers/{id}/services} and the {@code services} frames of
 * {@code /ws/ui}. The entity's view ({@link ServicesView}) becomes this at the edge.
 *
 * @param checkedAt the agent's latest check; null before the first one
 */
public record ServicesBody(@Nullable Instant checkedAt, List<Service> services) {

    public enum Kind {
        SYSTEMD, PROCESS;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Status {
        RUNNING, DOWN, STOPPED, UNKNOWN;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where the restart policy stands, as people read it. */
    public enum RecoveryState {
        IDLE, RESTARTING, GAVE_UP, FLAPPING, HELD;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static RecoveryState of(ServiceBook.Phase phase) {
            return switch (phase) {
                case IDLE -> IDLE;
                case WAITING, IN_FLIGHT -> RESTARTING;
                case GAVE_UP -> GAVE_UP;
                case FLAPPING -> FLAPPING;
                case HELD -> HELD;
            };
        }
    }

    public record Recovery(RecoveryState state, int attempts, @Nullable Instant nextAttemptAt,
            @Nullable String lastResult) {}

    public record Service(
            String name,
            Kind kind,
            Status status,
            @Nullable String detail,
            @Nullable String description,
            @Nullable Long mainPid,
            @Nullable Long memoryBytes,
            @Nullable Double cpuPercent,
            @Nullable Integer restarts,
            @Nullable Instant since,
            boolean controllable,
            boolean autoRestart,
            Recovery recovery) {

        public static Service of(ServicesView.ServiceView view) {
            ServiceState state = view.state();
            ServiceBook.Recovery recovery = view.recovery();
            return new Service(state.name(), Kind.valueOf(state.kind().name()), Status.valueOf(state.status().name()),
                    state.detail(), state.description(), state.mainPid(), state.memoryBytes(), state.cpuPercent(),
                    state.restarts(), state.since(), state.controllable(), view.autoRestart(),
                    new Recovery(RecoveryState.of(recovery.phase()), recovery.attempts(), recovery.nextAttemptAt(),
                            recovery.lastResult()));
        }
    }

    public static ServicesBody of(ServicesView view) {
        return new ServicesBody(view.checkedAt(), view.services().stream().map(Service::of).toList());
    }
}
