package io.steward.agent.checks;

import io.steward.core.checks.CertificateInfo;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.checks.ProbeOutcome;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One TLS attempt against every address the name resolves to (up to {@link #MAX_ADDRESSES}), so a backend still
 * serving an old certificate shows up as a second fingerprint. The attempt fails when any address fails; the
 * certificates of all that answered are reported either way. Timings are summed over the addresses.
 */
final class TlsProbe {
    static final int MAX_ADDRESSES = 8;

    private final Connector connector;
    private final TlsInspector tls;

    TlsProbe(Connector connector, TlsInspector tls) {
        this.connector = connector;
        this.tls = tls;
    }

    CheckResult run(String checkId, CheckDefinition.Tls check) {
        Instant startedAt = Instant.now();
        Phases phases = new Phases();
        Deadline deadline = new Deadline(check.timeout());
        List<CertificateInfo> certificates = new ArrayList<>();
        String serverName = check.serverName() == null ? check.host() : check.serverName();
        String endpoint = check.host() + ":" + check.port();
        String seen = null;
        ProbeFailure firstFailure = null;
        String failedAddress = null;
        try {
            List<InetAddress> addresses = connector.resolve(check.host(), deadline, phases);
            for (InetAddress address : addresses.subList(0, Math.min(MAX_ADDRESSES, addresses.size()))) {
                seen = seen == null ? address.getHostAddress() : seen;
                try {
                    Socket socket = connector.connect(address, check.port(), deadline, phases);
                    try {
                        TlsInspector.Handshake handshake = tls.handshake(socket, serverName, check.port(), address,
                                endpoint, check.acceptFingerprint(), deadline, phases);
                        certificates.add(handshake.certificate());
                        Connector.closeQuietly(handshake.socket());
                        if (handshake.certificateFailure() != null) {
                            throw handshake.certificateFailure();
                        }
                    } finally {
                        Connector.closeQuietly(socket);
                    }
                } catch (ProbeFailure failure) {
                    if (firstFailure == null) {
                        firstFailure = failure;
                        failedAddress = address.getHostAddress();
                    }
                }
            }
        } catch (ProbeFailure failure) {
            firstFailure = failure;
        }
        if (firstFailure != null) {
            return new CheckResult(checkId, startedAt, ProbeOutcome.DOWN, firstFailure.reason(),
                    firstFailure.getMessage(), phases.timings(), null, failedAddress, null, certificates, null);
        }
        return new CheckResult(checkId, startedAt, ProbeOutcome.UP, null, null, phases.timings(), null, seen, null,
                certificates, null);
    }
}
