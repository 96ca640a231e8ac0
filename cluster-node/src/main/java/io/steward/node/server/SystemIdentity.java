package io.steward.node.server;

import io.steward.core.protocol.MetricsReport.HostInfo;
import io.steward.node.CborSerializable;

/** The slowly changing facts about a machine whose changes are worth an audit event (e.g. a kernel upgrade). */
public record SystemIdentity(
        String osName, String osVersion, String kernel, String architecture, String cpuModel, int logicalCpus)
        implements CborSerializable {

    static SystemIdentity of(HostInfo host) {
        return new SystemIdentity(host.osName(), host.osVersion(), host.kernel(), host.architecture(), host.cpuModel(),
                host.logicalCpus());
    }
}
