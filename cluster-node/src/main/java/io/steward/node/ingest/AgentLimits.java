package io.steward.node.ingest;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.services.ServiceState;
import java.util.Collection;
import java.util.Optional;

/**
 * What an agent may put in its frames, beyond the frame size: how many services, disks, interfaces and processes,
 * how long a name or a text, and no control characters in host and service names (they end up in logs, e-mails and
 * shell-adjacent places). A pure check: the connection turns a violation into an error frame and a counter.
 */
record AgentLimits(int maxServices, int maxListItems, int maxNameLength, int maxTextLength) {
    /** The stored column's width (agent_credentials.machine_id). */
    static final int MACHINE_ID_LENGTH = 128;

    AgentLimits {
        if (maxServices < 1 || maxListItems < 1 || maxNameLength < 16 || maxTextLength < maxNameLength) {
            throw new IllegalArgumentException("steward.ingest.limits must be positive, names at least 16 and texts "
                    + "at least as long as names");
        }
    }

    /** Certificates one result may carry: one per redirect hop (at most 10) or per address of a TLS check. */
    static final int MAX_CERTIFICATES = 32;

    /** What is wrong with {@code message}, as the error frame says it; empty when it keeps within the limits. */
    Optional<String> violation(AgentMessage message) {
        if (message instanceof AgentMessage.Hello hello) {
            // The machine id is stored (VARCHAR 128) and the version shown: both bounded and printable.
            return name("hostname", hello.hostname())
                    .or(() -> hello.machineId() != null && hello.machineId().length() > MACHINE_ID_LENGTH
                            ? Optional.of("machineId is " + hello.machineId().length() + " characters long, at most "
                                    + MACHINE_ID_LENGTH)
                            : name("machineId", hello.machineId()))
                    .or(() -> name("agentVersion", hello.agentVersion()))
                    // Only hashed, but bounded like the machine id all the same.
                    .or(() -> hello.enrollmentProof() != null && hello.enrollmentProof().length() > MACHINE_ID_LENGTH
                            ? Optional.of("enrollmentProof is " + hello.enrollmentProof().length()
                                    + " characters long, at most " + MACHINE_ID_LENGTH)
                            : Optional.empty());
        }
        if (message instanceof AgentMessage.Report report) {
            return report(report.metrics());
        }
        if (message instanceof AgentMessage.Services services) {
            return services(services);
        }
        if (message instanceof AgentMessage.CheckResults results) {
            return checkResults(results);
        }
        return Optional.empty();
    }

    /** Check results: ids and addresses fit their columns, and no result carries an unbounded list. */
    private Optional<String> checkResults(AgentMessage.CheckResults frame) {
        for (String refused : frame.refused()) {
            if (refused == null || refused.length() > 64) {
                return Optional.of("refused: each id is 1 to 64 characters");
            }
        }
        for (io.steward.core.checks.CheckResult result : frame.results()) {
            Optional<String> problem = (result.checkId().length() > 64
                    ? Optional.of("results.checkId is longer than 64 characters") : Optional.<String>empty())
                    .or(() -> result.resolvedAddress() != null && result.resolvedAddress().length() > 64
                            ? Optional.of("results.resolvedAddress is longer than 64 characters") : Optional.empty())
                    .or(() -> result.certificates().size() > MAX_CERTIFICATES
                            ? Optional.of("results.certificates: at most " + MAX_CERTIFICATES) : Optional.empty())
                    .or(() -> count("results.answers", result.answers()))
                    .or(() -> result.answers().stream().anyMatch(answer -> answer == null || answer.length() > 1024)
                            ? Optional.of("results.answers: each is at most 1024 characters") : Optional.empty());
            if (problem.isPresent()) {
                return problem;
            }
            for (io.steward.core.checks.CertificateInfo certificate : result.certificates()) {
                problem = (certificate.fingerprint().length() > 128 || certificate.address() != null
                        && certificate.address().length() > 64
                        ? Optional.of("results.certificates: a fingerprint is at most 128 characters, an address 64")
                        : Optional.<String>empty())
                        .or(() -> text("results.certificates.subject", certificate.subject()))
                        .or(() -> text("results.certificates.issuer", certificate.issuer()))
                        .or(() -> text("results.certificates.endpoint", certificate.endpoint()))
                        .or(() -> text("results.certificates.problem", certificate.problem()));
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> report(MetricsReport metrics) {
        MetricsReport.HostInfo host = metrics.host();
        Optional<String> problem = name("host.hostname", host.hostname())
                .or(() -> text("host.osName", host.osName()))
                .or(() -> text("host.osVersion", host.osVersion()))
                .or(() -> text("host.kernel", host.kernel()))
                .or(() -> text("host.cpuModel", host.cpuModel()))
                .or(() -> count("filesystems", metrics.filesystems()))
                .or(() -> count("disks", metrics.disks()))
                .or(() -> count("interfaces", metrics.interfaces()))
                .or(() -> count("cpu.perCore", metrics.cpu().perCore()))
                .or(() -> count("processes.topByCpu", metrics.processes().topByCpu()))
                .or(() -> count("processes.topByMemory", metrics.processes().topByMemory()));
        if (problem.isPresent()) {
            return problem;
        }
        for (MetricsReport.FilesystemStats filesystem : metrics.filesystems()) {
            problem = text("filesystems.mount", filesystem.mount()).or(() -> text("filesystems.device",
                    filesystem.device()));
            if (problem.isPresent()) {
                return problem;
            }
        }
        for (MetricsReport.DiskStats disk : metrics.disks()) {
            problem = text("disks.name", disk.name());
            if (problem.isPresent()) {
                return problem;
            }
        }
        for (MetricsReport.NetworkStats network : metrics.interfaces()) {
            problem = text("interfaces.name", network.name())
                    .or(() -> count("interfaces.ipv4", network.ipv4()))
                    .or(() -> count("interfaces.ipv6", network.ipv6()));
            if (problem.isPresent()) {
                return problem;
            }
        }
        for (MetricsReport.ProcessInfo process : metrics.processes().topByCpu()) {
            problem = text("processes.name", process.name());
            if (problem.isPresent()) {
                return problem;
            }
        }
        for (MetricsReport.ProcessInfo process : metrics.processes().topByMemory()) {
            problem = text("processes.name", process.name());
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private Optional<String> services(AgentMessage.Services services) {
        if (services.services().size() > maxServices) {
            return Optional.of("services: " + services.services().size() + " services in one report, at most "
                    + maxServices);
        }
        for (ServiceState service : services.services()) {
            Optional<String> problem = name("services.name", service.name())
                    .or(() -> text("services.detail", service.detail()))
                    .or(() -> text("services.description", service.description()));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** A name: no control characters at all, at most {@code maxNameLength}. */
    private Optional<String> name(String field, String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.length() > maxNameLength) {
            return Optional.of(field + " is " + value.length() + " characters long, at most " + maxNameLength);
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return Optional.of(field + " contains a control character (U+"
                        + String.format("%04X", (int) value.charAt(i)) + ")");
            }
        }
        return Optional.empty();
    }

    private Optional<String> text(String field, String value) {
        if (value != null && value.length() > maxTextLength) {
            return Optional.of(field + " is " + value.length() + " characters long, at most " + maxTextLength);
        }
        return Optional.empty();
    }

    private Optional<String> count(String field, Collection<?> items) {
        if (items.size() > maxListItems) {
            return Optional.of(field + " has " + items.size() + " entries, at most " + maxListItems);
        }
        return Optional.empty();
    }
}
