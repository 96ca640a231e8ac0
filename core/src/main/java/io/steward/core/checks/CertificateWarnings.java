package io.steward.core.checks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/** What a check's certificates warrant a warning about: nearing expiry, a changed one, or disagreeing ones. */
public final class CertificateWarnings {
    private CertificateWarnings() {}

    /**
     * The smallest threshold of {@code warnDays} that {@code daysLeft} has reached (5 days left with 30/14/7/3/1 is
     * 7), or empty when none is: a new alert is due each time this shrinks.
     */
    public static OptionalInt thresholdReached(List<Integer> warnDays, long daysLeft) {
        OptionalInt reached = OptionalInt.empty();
        for (int threshold : warnDays) {
            if (daysLeft <= threshold && (reached.isEmpty() || threshold < reached.getAsInt())) {
                reached = OptionalInt.of(threshold);
            }
        }
        return reached;
    }

    /** The certificate expiring first among {@code certificates} (every hop, every address), if any. */
    public static Optional<CertificateInfo> earliestExpiring(List<CertificateInfo> certificates) {
        return certificates.stream().min(Comparator.comparing(CertificateInfo::chainNotAfter));
    }

    /** Days left of the earliest-expiring certificate at {@code at}, if any certificate was seen. */
    public static OptionalInt daysLeft(List<CertificateInfo> certificates, Instant at) {
        return earliestExpiring(certificates).map(c -> OptionalInt.of((int) c.daysLeftAt(at)))
                .orElse(OptionalInt.empty());
    }

    /**
     * Whether the fingerprint served at an endpoint changed unexpectedly: it differs from the one known before and
     * is not the pinned one. The first fingerprint seen ({@code known} null) is no change.
     */
    public static boolean fingerprintChanged(@Nullable String known, String current, @Nullable String pinned) {
        return known != null && !known.equals(current) && !current.equals(pinned);
    }

    /** One served certificate: by which vantage, at which endpoint and address. */
    public record Observation(String vantage, String endpoint, @Nullable String address, String fingerprint) {}

    /** The places that served one fingerprint. */
    public record Served(String fingerprint, List<Observation> where) {}

    /**
     * Groups the certificates served for the same endpoint by fingerprint; an endpoint served more than one
     * certificate (one backend still on the old one, one vantage behind a different load balancer) is returned with
     * every fingerprint and where it was seen. Empty when every endpoint served one certificate.
     */
    public static Map<String, List<Served>> disagreements(List<Observation> observations) {
        Map<String, Map<String, List<Observation>>> byEndpoint = new LinkedHashMap<>();
        for (Observation observation : observations) {
            byEndpoint.computeIfAbsent(observation.endpoint(), e -> new LinkedHashMap<>())
                    .computeIfAbsent(observation.fingerprint(), f -> new ArrayList<>()).add(observation);
        }
        Map<String, List<Served>> disagreements = new LinkedHashMap<>();
        byEndpoint.forEach((endpoint, byFingerprint) -> {
            if (byFingerprint.size() > 1) {
                List<Served> served = new ArrayList<>();
                byFingerprint.forEach((fingerprint, where) -> served.add(new Served(fingerprint, List.copyOf(where))));
                disagreements.put(endpoint, List.copyOf(served));
            }
        });
        return disagreements;
    }

    /** The observations of {@code result}'s certificates from {@code vantage}. */
    public static List<Observation> observations(String vantage, CheckResult result) {
        List<Observation> observations = new ArrayList<>();
        for (CertificateInfo certificate : result.certificates()) {
            observations.add(new Observation(vantage, certificate.endpoint(), certificate.address(),
                    certificate.fingerprint()));
        }
        return observations;
    }
}
