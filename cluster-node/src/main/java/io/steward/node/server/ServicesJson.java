package io.steward.node.server;

import io.steward.core.services.ServiceState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The one JSON shape of a server's services, for {@code /api} and for the {@code services} frames on /ws/ui. */
public final class ServicesJson {
    private ServicesJson() {}

    public static Map<String, Object> describe(ServerEntity.ServicesView view) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("checkedAt", view.checkedAt());
        List<Map<String, Object>> services = new ArrayList<>();
        for (ServerEntity.ServiceView service : view.services()) {
            services.add(describe(service));
        }
        body.put("services", services);
        return body;
    }

    public static Map<String, Object> describe(ServerEntity.ServiceView view) {
        ServiceState state = view.state();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", state.name());
        body.put("kind", state.kind().name().toLowerCase(Locale.ROOT));
        body.put("status", state.status().name().toLowerCase(Locale.ROOT));
        body.put("detail", state.detail());
        body.put("description", state.description());
        body.put("mainPid", state.mainPid());
        body.put("memoryBytes", state.memoryBytes());
        body.put("cpuPercent", state.cpuPercent());
        body.put("restarts", state.restarts());
        body.put("since", state.since());
        body.put("controllable", state.controllable());
        body.put("autoRestart", view.autoRestart());
        ServiceBook.Recovery recovery = view.recovery();
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("state", switch (recovery.phase()) {
            case IDLE -> "idle";
            case WAITING, IN_FLIGHT -> "restarting";
            case GAVE_UP -> "gave-up";
            case FLAPPING -> "flapping";
            case HELD -> "held";
        });
        policy.put("attempts", recovery.attempts());
        policy.put("nextAttemptAt", recovery.nextAttemptAt());
        policy.put("lastResult", recovery.lastResult());
        body.put("recovery", policy);
        return body;
    }
}
