package io.steward.core.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expiry thresholds, day counting, fingerprint changes and certificates that differ across vantages or IPs. */
class CertificateWarningsTest {
    private static final Instant NOW = Instant.parse("2026-12-10T12:00:00Z");
    private static final String A = "AA:" + "00:".repeat(30) + "01";
    private static final String B = "BB:" + "00:".repeat(30) + "02";

    private static CertificateInfo certificate(String endpoint, String address, String fingerprint, Instant leaf,
            Instant chain) {
        return new CertificateInfo(endpoint, address, "CN=site", "CN=ca", NOW.minus(Duration.ofDays(80)), leaf, chain,
                fingerprint, true, null);
    }

    @Test
    void daysLeftCountAStartedDay() {
        CertificateInfo fiveDays = certificate("e", null, A, NOW.plus(Duration.ofDays(5)), NOW.plus(Duration.ofDays(5)));
        assertThat(fiveDays.daysLeftAt(NOW)).isEqualTo(5);
        assertThat(fiveDays.daysLeftAt(NOW.plusSeconds(30))).isEqualTo(5);
        assertThat(fiveDays.daysLeftAt(NOW.plus(Duration.ofDays(4)).plusSeconds(1))).isEqualTo(1);
        assertThat(fiveDays.daysLeftAt(NOW.plus(Duration.ofDays(5)))).isZero();
        assertThat(fiveDays.daysLeftAt(NOW.plus(Duration.ofDays(6)).plusSeconds(1))).isEqualTo(-1);
    }

    @Test
    void theSmallestThresholdReachedIsReported() {
        List<Integer> warnDays = CheckRules.DEFAULT_WARN_DAYS;
        assertThat(CertificateWarnings.thresholdReached(warnDays, 31)).isEmpty();
        assertThat(CertificateWarnings.thresholdReached(warnDays, 30)).hasValue(30);
        assertThat(CertificateWarnings.thresholdReached(warnDays, 5)).hasValue(7);
        assertThat(CertificateWarnings.thresholdReached(warnDays, 1)).hasValue(1);
        assertThat(CertificateWarnings.thresholdReached(warnDays, -3)).hasValue(1);
        assertThat(CertificateWarnings.thresholdReached(List.of(), 0)).isEmpty();
    }

    @Test
    void theChainsEarliestExpiryCountsAcrossEveryHop() {
        CertificateInfo first = certificate("http://a/", null, A, NOW.plus(Duration.ofDays(80)),
                NOW.plus(Duration.ofDays(80)));
        CertificateInfo intermediateSoon = certificate("https://b/", null, B, NOW.plus(Duration.ofDays(60)),
                NOW.plus(Duration.ofDays(3)));
        assertThat(CertificateWarnings.earliestExpiring(List.of(first, intermediateSoon))).contains(intermediateSoon);
        assertThat(CertificateWarnings.daysLeft(List.of(first, intermediateSoon), NOW)).hasValue(3);
        assertThat(CertificateWarnings.daysLeft(List.of(), NOW)).isEmpty();
    }

    @Test
    void aChangedFingerprintAlertsUnlessItIsThePinnedOne() {
        assertThat(CertificateWarnings.fingerprintChanged(null, A, null)).isFalse();
        assertThat(CertificateWarnings.fingerprintChanged(A, A, null)).isFalse();
        assertThat(CertificateWarnings.fingerprintChanged(A, B, null)).isTrue();
        assertThat(CertificateWarnings.fingerprintChanged(A, B, B)).isFalse();
    }

    @Test
    void differentCertificatesForOneEndpointAreFlaggedWithWhereEachWasServed() {
        CertificateInfo onNew = certificate("example.com:443", "192.0.2.1", A, NOW, NOW);
        CertificateInfo onOld = certificate("example.com:443", "192.0.2.2", B, NOW, NOW);
        CheckResult fromBerlin = new CheckResult("c", NOW, ProbeOutcome.UP, null, null, null, null, "192.0.2.1", null,
                List.of(onNew, onOld), null);
        CheckResult fromParis = new CheckResult("c", NOW, ProbeOutcome.UP, null, null, null, null, "192.0.2.1", null,
                List.of(onNew), null);
        var observations = new java.util.ArrayList<CertificateWarnings.Observation>();
        observations.addAll(CertificateWarnings.observations("berlin", fromBerlin));
        observations.addAll(CertificateWarnings.observations("paris", fromParis));
        var disagreements = CertificateWarnings.disagreements(observations);
        assertThat(disagreements).containsOnlyKeys("example.com:443");
        assertThat(disagreements.get("example.com:443")).extracting(CertificateWarnings.Served::fingerprint)
                .containsExactly(A, B);
        assertThat(disagreements.get("example.com:443").get(1).where())
                .containsExactly(new CertificateWarnings.Observation("berlin", "example.com:443", "192.0.2.2", B));
        assertThat(CertificateWarnings.disagreements(CertificateWarnings.observations("paris", fromParis))).isEmpty();
    }
}
