package io.steward.core.checks;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The certificate a server presented, as one probe saw it.
 *
 * @param endpoint where it was served: the hop's URL for HTTP checks, {@code host:port} for TLS checks
 * @param address the IP address that served it
 * @param chainNotAfter the earliest expiry of any certificate in the presented chain (an intermediate may expire
 *     before the leaf)
 * @param fingerprint the leaf's SHA-256 fingerprint ({@link Fingerprint} form)
 * @param trusted whether the chain leads to a trusted root and names the host (or the leaf is the pinned one)
 * @param problem why it is not trusted or not valid, in the validator's words; null when it is
 */
public record CertificateInfo(String endpoint, @Nullable String address, String subject, String issuer,
        Instant notBefore, Instant notAfter, Instant chainNotAfter, String fingerprint, boolean trusted,
        @Nullable String problem) {
    public CertificateInfo {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(issuer, "issuer is null");
        requireNonNull(notBefore, "notBefore is null");
        requireNonNull(notAfter, "notAfter is null");
        requireNonNull(chainNotAfter, "chainNotAfter is null");
        requireNonNull(fingerprint, "fingerprint is null");
    }

    /**
     * Whole days left at {@code at}, a started day counting as one: 4 days 23 hours left is 5, one hour left is 1,
     * expired is 0 or less. Counted to the chain's earliest expiry, the day the site breaks.
     */
    public long daysLeftAt(Instant at) {
        return daysUntil(at, chainNotAfter);
    }

    static long daysUntil(Instant at, Instant expiry) {
        long seconds = Duration.between(at, expiry).toSeconds();
        return Math.floorDiv(seconds + 86_399, 86_400);
    }
}
