package io.steward.agent.reload;

import static java.util.Objects.requireNonNull;

import io.steward.agent.AgentSettings;
import io.steward.agent.checks.CheckOptions;
import io.steward.agent.logging.LogOptions;
import io.steward.agent.services.ServicesConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a reload does, decided without touching anything: the services file, {@code top-processes}, {@code interval}
 * and the {@code log-*} keys take the reloaded values (an interval removed from the config gives way to the node's
 * suggestion); every other key keeps its running value, and a change to it is listed as needing a restart (the hubs,
 * credential, state directory, spool, TLS trust, checks and backups are built into connections, files and threads at
 * start).
 *
 * @param next the configuration to run with from now on
 * @param servicesChanged whether the services file or its list changed (the agent replaces its services then)
 * @param applied the changes that take effect now
 * @param needsRestart the changes that wait for the next start
 */
public record ReloadPlan(AgentConfig next, boolean servicesChanged, List<Change> applied, List<Change> needsRestart) {
    /** The token's value never appears in a change, only that it changed. */
    static final String HIDDEN = "(hidden)";

    /** One key's running and reloaded value, as the config file writes them. */
    public record Change(String key, String running, String reloaded) {
        public Change {
            requireNonNull(key, "key is null");
        }

        @Override
        public String toString() {
            return key + " " + running + " -> " + reloaded;
        }
    }

    public ReloadPlan {
        requireNonNull(next, "next is null");
        applied = List.copyOf(applied);
        needsRestart = List.copyOf(needsRestart);
    }

    /** Whether the reloaded configuration is the running one. */
    public boolean changesNothing() {
        return applied.isEmpty() && needsRestart.isEmpty();
    }

    /** Compares the running configuration with a reloaded one. */
    public static ReloadPlan between(AgentConfig running, AgentConfig reloaded) {
        requireNonNull(running, "running is null");
        requireNonNull(reloaded, "reloaded is null");
        AgentSettings now = running.settings();
        AgentSettings then = reloaded.settings();
        List<Change> applied = new ArrayList<>();
        boolean servicesChanged = !Objects.equals(now.servicesFile(), then.servicesFile())
                || (running.services() == null ? reloaded.services() != null
                        : !running.services().sameAs(reloaded.services()));
        if (servicesChanged) {
            String before = describe(now.servicesFile(), running.services());
            String after = describe(then.servicesFile(), reloaded.services());
            applied.add(new Change("services", before, after.equals(before) ? after + " (edited)" : after));
        }
        compare(applied, "top-processes", now.topProcesses(), then.topProcesses());
        compare(applied, "interval", localInterval(now), localInterval(then));
        LogOptions logNow = running.logging();
        LogOptions logThen = reloaded.logging();
        compare(applied, "log-file", logFile(logNow.file()), logFile(logThen.file()));
        compare(applied, "log-max-bytes", AgentSettings.formatBytes(logNow.maxBytes()),
                AgentSettings.formatBytes(logThen.maxBytes()));
        compare(applied, "log-max-files", logNow.maxFiles(), logThen.maxFiles());
        compare(applied, "log-level", logNow.level(), logThen.level());

        List<Change> needsRestart = new ArrayList<>();
        compare(needsRestart, "hub", hubs(now.hubs()), hubs(then.hubs()));
        if (!Objects.equals(now.token(), then.token())) {
            needsRestart.add(new Change("token", now.token() == null ? "none" : HIDDEN,
                    then.token() == null ? "none" : HIDDEN));
        }
        compare(needsRestart, "state-dir", now.stateDirectory(), then.stateDirectory());
        compare(needsRestart, "spool-max-age", AgentSettings.format(now.spoolMaxAge()),
                AgentSettings.format(then.spoolMaxAge()));
        compare(needsRestart, "spool-max-bytes", AgentSettings.formatBytes(now.spoolMaxBytes()),
                AgentSettings.formatBytes(then.spoolMaxBytes()));
        compare(needsRestart, "backups", optional(now.backupsFile()), optional(then.backupsFile()));
        compare(needsRestart, "pin-sha256/ca-file", now.trust(), then.trust());
        compare(needsRestart, "simulate", now.simulatedAgents(), then.simulatedAgents());
        CheckOptions checksNow = now.checks();
        CheckOptions checksThen = then.checks();
        compare(needsRestart, "checks", checksNow.enabled() ? "on" : "off", checksThen.enabled() ? "on" : "off");
        compare(needsRestart, "max-checks", checksNow.maxChecks(), checksThen.maxChecks());
        compare(needsRestart, "check-concurrency", checksNow.concurrency(), checksThen.concurrency());
        compare(needsRestart, "check-reference", optional(checksNow.reference()), optional(checksThen.reference()));

        AgentSettings.Builder nextSettings = now.toBuilder()
                .servicesFile(then.servicesFile())
                .topProcesses(then.topProcesses());
        then.localInterval().ifPresentOrElse(nextSettings::interval, nextSettings::noLocalInterval);
        AgentConfig next = new AgentConfig(nextSettings.build(), logThen,
                servicesChanged ? reloaded.services() : running.services());
        return new ReloadPlan(next, servicesChanged, applied, needsRestart);
    }

    private static void compare(List<Change> changes, String key, Object running, Object reloaded) {
        if (!Objects.equals(running, reloaded)) {
            changes.add(new Change(key, String.valueOf(running), String.valueOf(reloaded)));
        }
    }

    /** The interval as the config writes it, or what applies without one. */
    private static String localInterval(AgentSettings settings) {
        return settings.localInterval().map(AgentSettings::format).orElse("not set (the node's suggestion)");
    }

    private static String describe(Path file, ServicesConfig services) {
        if (file == null || services == null) {
            return "none";
        }
        return file + " (" + services.systemd().size() + " systemd units" + (services.discoverSystemd()
                ? " and discovery" : "") + ", " + services.processes().size() + " processes)";
    }

    private static String logFile(Path file) {
        return file == null ? "stderr" : file.toString();
    }

    private static String hubs(List<URI> hubs) {
        return hubs.stream().map(URI::toString).collect(Collectors.joining(","));
    }

    private static String optional(Object value) {
        return value == null ? "none" : value.toString();
    }
}
