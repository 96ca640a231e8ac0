package io.steward.agent.services.systemd;

import static java.util.Objects.requireNonNull;

import io.steward.agent.services.CommandRunner;
import io.steward.agent.services.CommandRunner.Output;
import io.steward.agent.services.ServiceBackend;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import io.steward.core.services.ServiceState.Kind;
import io.steward.core.services.ServiceState.Status;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Systemd units through {@code systemctl} and {@code journalctl}, run directly (never through a shell).
 *
 * <p>Only the units in the agent's config are controllable. With {@code discover} and no configured units, every
 * service unit systemd knows is reported read-only, so a fresh agent shows something without any config.
 *
 * <p>A configured unit that is "inactive" is reported {@link Status#DOWN}, not {@link Status#STOPPED}: listing a
 * unit in the config says it is expected to run, so an inactive one needs attention (and recovery). A discovered
 * unit that is inactive is merely {@link Status#STOPPED}. Units in transition (activating, deactivating, reloading)
 * count as running; the detail says which transition, and systemd itself is handling it.
 */
public final class SystemdBackend implements ServiceBackend {
    /**
     * Called by absolute path: a PATH (or a working directory) someone else controls must not choose what runs as
     * the agent, which may be root. Debian and Ubuntu (merged /usr) and Fedora/RHEL keep both here.
     */
    static final String SYSTEMCTL = "/usr/bin/systemctl";
    static final String JOURNALCTL = "/usr/bin/journalctl";

    private static final Logger log = LoggerFactory.getLogger(SystemdBackend.class);

    static final String PROPERTIES = "Id,Description,ActiveState,SubState,MainPID,MemoryCurrent,CPUUsageNSec,"
            + "NRestarts,ActiveEnterTimestamp,StateChangeTimestamp,LoadState";
    /** Enough for any look at a log; the runner bounds the output anyway. */
    static final int MAX_LOG_LINES = 10_000;
    private static final String NO_ENTRIES = "-- No entries --";

    /** A unit to check and how it is shown: configured units under their config name, discovered under their own. */
    private record Watched(String unit, String name, boolean configured) {}

    private final List<String> configured;
    private final Set<String> configuredSet;
    private final boolean discover;
    private final CommandRunner runner;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final ZoneId localZone;
    private final CpuRates cpuRates = new CpuRates();
    private String lastProblem;

    public SystemdBackend(List<String> configuredUnits, boolean discover, CommandRunner runner, Duration timeout) {
        this(configuredUnits, discover, runner, timeout, System::nanoTime, ZoneId.systemDefault());
    }

    SystemdBackend(List<String> configuredUnits, boolean discover, CommandRunner runner, Duration timeout,
            LongSupplier nanoTime, ZoneId localZone) {
        requireNonNull(configuredUnits, "configuredUnits is null");
        Set<String> units = new LinkedHashSet<>();
        for (String name : configuredUnits) {
            String stripped = name == null ? null : name.strip();
            // A bad name is a config mistake: say so at start rather than fail every check.
            if (!UnitNames.isValid(stripped) || !UnitNames.isValid(UnitNames.unit(stripped))) {
                throw new IllegalArgumentException("not a valid systemd unit name: " + name);
            }
            units.add(UnitNames.unit(stripped)); // "nginx" and "nginx.service" are the same unit
        }
        this.configured = List.copyOf(units);
        this.configuredSet = Set.copyOf(units);
        this.discover = discover;
        this.runner = requireNonNull(runner, "runner is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.localZone = requireNonNull(localZone, "localZone is null");
    }

    @Override
    public synchronized List<ServiceState> check() {
        List<Watched> watched = watched();
        if (watched.isEmpty()) {
            cpuRates.endCheck();
            return List.of();
        }
        List<String> argv = new ArrayList<>(List.of(SYSTEMCTL, "show", "--no-pager", "--property=" + PROPERTIES));
        watched.forEach(w -> argv.add(w.unit()));
        Ran ran = run(argv);
        noteProblem(ran.problem());
        if (ran.problem() != null) {
            cpuRates.endCheck();
            return unknown(watched, ran.problem());
        }
        List<UnitProperties> blocks = UnitProperties.parseBlocks(ran.output().stdout());
        Map<String, UnitProperties> byId = new HashMap<>();
        blocks.forEach(block -> byId.putIfAbsent(block.text("Id"), block));
        boolean inOrder = blocks.size() == watched.size();
        long now = nanoTime.getAsLong();
        List<ServiceState> states = new ArrayList<>(watched.size());
        for (int i = 0; i < watched.size(); i++) {
            Watched unit = watched.get(i);
            // Blocks come in argument order; by Id only as a fallback, since an alias shows its target's Id.
            UnitProperties block = inOrder ? blocks.get(i) : byId.get(unit.unit());
            states.add(block == null
                    ? unknown(unit, "no state from systemctl")
                    : state(unit, block, now));
        }
        cpuRates.endCheck();
        return states;
    }

    @Override
    public boolean owns(String service) {
        return UnitNames.isValid(service) && configuredSet.contains(UnitNames.unit(service));
    }

    /** "nginx.service" and "nginx" are one unit, reported as "nginx". */
    @Override
    public String reportedName(String service) {
        return UnitNames.displayName(UnitNames.unit(service));
    }

    @Override
    public ActionResult act(String service, ServiceAction action, int lines) {
        if (action == null || !UnitNames.isValid(service)) {
            return ActionResult.failed("not a valid service name or action");
        }
        String unit = UnitNames.unit(service);
        if (!configuredSet.contains(unit)) {
            // The monitor asks owns() first; refusing here too keeps a discovered unit read-only whatever happens.
            return ActionResult.failed(service + " is not in this agent's service list");
        }
        return switch (action) {
            case START -> control("start", "started", unit);
            case STOP -> control("stop", "stopped", unit);
            case RESTART -> control("restart", "restarted", unit);
            case LOGS -> logs(unit, lines);
        };
    }

    private ActionResult control(String verb, String done, String unit) {
        Ran ran = run(List.of(SYSTEMCTL, verb, unit));
        if (ran.output() == null) {
            return ActionResult.failed(verb + " " + unit + " failed: " + ran.problem());
        }
        if (!ran.output().succeeded()) {
            return ActionResult.failed(verb + " " + unit + " failed: " + ran.output().summary());
        }
        return ActionResult.ok(done + " " + unit);
    }

    private ActionResult logs(String unit, int lines) {
        int count = Math.max(1, Math.min(lines, MAX_LOG_LINES));
        Ran ran = run(List.of(JOURNALCTL, "-u", unit, "-n", Integer.toString(count), "--no-pager",
                "-o", "short-iso"));
        if (ran.output() == null) {
            return ActionResult.failed("logs of " + unit + " failed: " + ran.problem());
        }
        if (!ran.output().succeeded()) {
            return ActionResult.failed("logs of " + unit + " failed: " + ran.output().summary());
        }
        List<String> entries = logLines(ran.output().stdout());
        String message = entries.isEmpty() ? "no log entries for " + unit
                : "last " + entries.size() + " log lines of " + unit;
        return new ActionResult(true, message, entries);
    }

    /** journalctl's lines without its notes about the journal itself (no entries; where older versions begin). */
    static List<String> logLines(String stdout) {
        List<String> lines = new ArrayList<>();
        if (stdout == null) {
            return lines;
        }
        for (String line : stdout.split("\\R")) {
            String trimmed = line.strip();
            boolean note = trimmed.equals(NO_ENTRIES) || trimmed.startsWith("-- Logs begin at ")
                    || trimmed.startsWith("-- Journal begins at ");
            if (!note) {
                lines.add(line);
            }
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private List<Watched> watched() {
        List<Watched> watched = new ArrayList<>();
        if (!configured.isEmpty()) {
            configured.forEach(unit -> watched.add(new Watched(unit, UnitNames.displayName(unit), true)));
        } else if (discover) {
            discovered().forEach(unit -> watched.add(new Watched(unit, UnitNames.displayName(unit), false)));
        }
        return watched;
    }

    /** Every loaded service unit, or none when systemctl cannot list them (there is nothing configured to report). */
    private List<String> discovered() {
        Ran ran = run(List.of(SYSTEMCTL, "list-units", "--type=service", "--all", "--no-legend", "--plain",
                "--no-pager"));
        if (ran.problem() != null) {
            noteProblem(ran.problem());
            return List.of();
        }
        return listedUnits(ran.output().stdout());
    }

    /**
     * The unit names in {@code list-units} output ("UNIT LOAD ACTIVE SUB DESCRIPTION"). Units systemd only knows as
     * references ("not-found") are not services on this host and are left out, as are names with characters the
     * shared pattern does not allow (escaped names such as "dev-disk-by\x2duuid").
     */
    static List<String> listedUnits(String stdout) {
        Set<String> units = new LinkedHashSet<>();
        if (stdout == null) {
            return List.of();
        }
        for (String line : stdout.split("\\R")) {
            String[] columns = line.strip().split("\\s+");
            int at = columns.length > 0 && (columns[0].equals("●") || columns[0].equals("*")) ? 1 : 0;
            if (columns.length <= at) {
                continue;
            }
            String unit = columns[at];
            String load = columns.length > at + 1 ? columns[at + 1] : "";
            if (unit.endsWith(".service") && UnitNames.isValid(unit) && !load.equals("not-found")) {
                units.add(unit);
            }
        }
        return List.copyOf(units);
    }

    private ServiceState state(Watched unit, UnitProperties block, long nowNanos) {
        String activeState = block.text("ActiveState");
        String subState = block.text("SubState");
        String loadState = block.text("LoadState");
        String description = block.textOrNull("Description");
        if (loadState.equals("not-found")) {
            return new ServiceState(unit.name(), Kind.SYSTEMD, Status.UNKNOWN, "unit not found", null, null, null,
                    null, null, null, unit.configured());
        }
        Status status = status(activeState, unit.configured());
        String detail = activeState + "/" + subState
                + (loadState.isEmpty() || loadState.equals("loaded") ? "" : " (" + loadState + ")");
        Long mainPid = block.count("MainPID");
        Long restarts = block.count("NRestarts");
        boolean active = activeState.equals("active") || activeState.equals("reloading");
        Instant since = active ? SystemdTime.parse(block.text("ActiveEnterTimestamp"), localZone) : null;
        if (since == null) {
            since = SystemdTime.parse(block.text("StateChangeTimestamp"), localZone);
        }
        return new ServiceState(unit.name(), Kind.SYSTEMD, status, detail, description,
                mainPid == null || mainPid == 0 ? null : mainPid,
                block.count("MemoryCurrent"),
                cpuRates.percent(unit.unit(), block.count("CPUUsageNSec"), nowNanos),
                restarts == null ? null : (int) Math.min(Integer.MAX_VALUE, restarts),
                since, unit.configured());
    }

    /** systemd's ActiveState as what matters for recovery; see the class comment for inactive units. */
    static Status status(String activeState, boolean configured) {
        return switch (activeState) {
            case "active", "activating", "deactivating", "reloading" -> Status.RUNNING;
            case "failed" -> Status.DOWN;
            case "inactive" -> configured ? Status.DOWN : Status.STOPPED;
            default -> Status.UNKNOWN;
        };
    }

    private List<ServiceState> unknown(List<Watched> watched, String why) {
        return watched.stream().map(unit -> unknown(unit, why)).toList();
    }

    private static ServiceState unknown(Watched unit, String why) {
        return new ServiceState(unit.name(), Kind.SYSTEMD, Status.UNKNOWN, why, null, null, null, null, null, null,
                unit.configured());
    }

    /** A command's output, or why there is none worth reading (could not run, timed out, failed silently). */
    private record Ran(Output output, String problem) {}

    private Ran run(List<String> argv) {
        String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1); // messages name it, not its path
        Output output;
        try {
            output = runner.run(argv, timeout);
        } catch (IOException | RuntimeException e) {
            return new Ran(null, program + " could not run: " + e.getMessage());
        }
        if (output.timedOut()) {
            return new Ran(output, program + " timed out after " + inWords(timeout));
        }
        boolean silent = output.stdout() == null || output.stdout().isBlank();
        if (output.exitCode() != 0 && silent) {
            return new Ran(output, program + " failed: " + output.summary());
        }
        return new Ran(output, null);
    }

    /** Logs a check's problem once when it starts and once when it ends; a missing systemctl would fill the log. */
    private void noteProblem(String problem) {
        if (problem != null && !problem.equals(lastProblem)) {
            log.warn("systemd services: {}", problem);
        } else if (problem == null && lastProblem != null) {
            log.info("systemd services: systemctl answers again");
        }
        lastProblem = problem;
    }

    private static String inWords(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
