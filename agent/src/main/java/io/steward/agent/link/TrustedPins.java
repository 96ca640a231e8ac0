package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.core.tls.CertificatePin;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The certificate pins a pinning agent's connections accept: those given with {@code --pin-sha256}, and those its
 * cluster announced in welcomes that came over a connection one of these pins already verified (see
 * {@link Hubs#welcomed}). A pin heard from anywhere else is never added. Shared by every link on one runtime (their
 * HTTP client has one TLS context); any thread may call it.
 */
public final class TrustedPins {
    /** More learned pins than a cluster has members is not a cluster: the oldest ones are forgotten. */
    static final int MAXIMUM_LEARNED = 2 * StateDirectory.MAXIMUM_REMEMBERED_HUBS;

    private final List<CertificatePin> configured;
    private volatile Set<CertificatePin> learned = Set.of();

    public TrustedPins(List<CertificatePin> configured) {
        requireNonNull(configured, "configured is null");
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("at least one configured pin is required");
        }
        this.configured = List.copyOf(configured);
    }

    /** Whether {@code certificate} is one of the configured or learned pins'. */
    public boolean trusts(X509Certificate certificate) {
        for (CertificatePin pin : configured) {
            if (pin.matches(certificate)) {
                return true;
            }
        }
        CertificatePin presented = CertificatePin.of(certificate);
        return learned.contains(presented);
    }

    /** Adds pins the cluster announced over a verified connection (the caller checked that). */
    synchronized void learn(Collection<CertificatePin> pins) {
        LinkedHashSet<CertificatePin> more = new LinkedHashSet<>(learned);
        for (CertificatePin pin : pins) {
            if (!configured.contains(pin)) {
                more.remove(pin); // re-added last: the most recently announced are kept
                more.add(pin);
            }
        }
        learned = more.stream().skip(Math.max(0, more.size() - MAXIMUM_LEARNED))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Replaces the learned pins with those one verified welcome announced: a node whose certificate was replaced (a
     * rotated or compromised key) stops being trusted under its old pin at the next welcome, not at a restart.
     */
    synchronized void replaceLearned(Collection<CertificatePin> pins) {
        learned = Set.of();
        learn(pins);
    }

    /** The pins given with {@code --pin-sha256}, for messages. */
    public List<CertificatePin> configured() {
        return configured;
    }

    /** The pins learned so far (not the configured ones). */
    Set<CertificatePin> learned() {
        return Set.copyOf(learned);
    }
}
