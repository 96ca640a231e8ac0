package io.steward.agent.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.AssignedCheck;
import io.steward.core.checks.CheckDefinition;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What this agent's operator allows of the checks a node assigns: whether it probes at all (off: every assigned
 * check is refused, so the machine is never used as a probe), how many checks and how many probes at once, and a
 * reference URL whose reachability tells the node whether this agent's own network works. Validation messages name
 * the setting as the command line and the config file do ({@code max-checks}, {@code check-reference}, ...).
 *
 * @param enabled {@code --checks on|off}
 * @param maxChecks {@code --max-checks}: checks beyond this many (in the order assigned) are refused
 * @param concurrency {@code --check-concurrency}: probes running at once
 * @param reference {@code --check-reference}: an http(s) URL; any HTTP answer means this agent's network works.
 *     Null: no reference (the node then counts this agent's votes as always valid)
 * @param maxStartJitter each check's first run is delayed by up to this (not a flag: tests set it to zero)
 * @param resolver how the probes turn names into addresses: the system's (not a flag: a test gives one in-process
 *     agent its own view of a name, as a server behind another DNS view would have)
 */
public record CheckOptions(boolean enabled, int maxChecks, int concurrency, @Nullable URI reference,
        Duration maxStartJitter, Resolver resolver) {
    public static final int DEFAULT_MAX_CHECKS = ChecksSettings.DEFAULT.maxChecks();
    public static final int MAXIMUM_MAX_CHECKS = 10_000;
    public static final int DEFAULT_CONCURRENCY = ChecksSettings.DEFAULT.concurrency();
    public static final int MAXIMUM_CONCURRENCY = 256;
    public static final CheckOptions DEFAULT = new CheckOptions(true, DEFAULT_MAX_CHECKS, DEFAULT_CONCURRENCY, null,
            ChecksSettings.DEFAULT.maxStartJitter(), Resolver.SYSTEM);
    /** Simulated agents and agents whose operator said {@code --checks off}. */
    public static final CheckOptions OFF = DEFAULT.withEnabled(false);

    public CheckOptions {
        requireNonNull(maxStartJitter, "maxStartJitter is null");
        requireNonNull(resolver, "resolver is null");
        checkMaxChecks("max-checks", maxChecks, Integer.toString(maxChecks));
        checkConcurrency("check-concurrency", concurrency, Integer.toString(concurrency));
        if (reference != null) {
            checkReference("check-reference", reference);
        }
        if (maxStartJitter.isNegative()) {
            throw new IllegalArgumentException("maxStartJitter must be zero or positive");
        }
    }

    public CheckOptions withEnabled(boolean on) {
        return new CheckOptions(on, maxChecks, concurrency, reference, maxStartJitter, resolver);
    }

    public CheckOptions withMaxChecks(int checks) {
        return new CheckOptions(enabled, checks, concurrency, reference, maxStartJitter, resolver);
    }

    public CheckOptions withConcurrency(int probes) {
        return new CheckOptions(enabled, maxChecks, probes, reference, maxStartJitter, resolver);
    }

    public CheckOptions withReference(@Nullable URI url) {
        return new CheckOptions(enabled, maxChecks, concurrency, url, maxStartJitter, resolver);
    }

    public CheckOptions withMaxStartJitter(Duration jitter) {
        return new CheckOptions(enabled, maxChecks, concurrency, reference, jitter, resolver);
    }

    public CheckOptions withResolver(Resolver names) {
        return new CheckOptions(enabled, maxChecks, concurrency, reference, maxStartJitter, names);
    }

    /** The probe engine's limits. */
    public ChecksSettings engine() {
        return new ChecksSettings(maxChecks, concurrency, ChecksSettings.DEFAULT.maxBodyBytes(), maxStartJitter);
    }

    /** Checks the cap; {@code shown} is the value as the user wrote it. */
    public static void checkMaxChecks(String name, int value, String shown) {
        if (value < 1 || value > MAXIMUM_MAX_CHECKS) {
            throw new IllegalArgumentException(name + " must be between 1 and " + MAXIMUM_MAX_CHECKS + ", got "
                    + shown);
        }
    }

    /** Checks the number of probes at once; {@code shown} is the value as the user wrote it. */
    public static void checkConcurrency(String name, int value, String shown) {
        if (value < 1 || value > MAXIMUM_CONCURRENCY) {
            throw new IllegalArgumentException(name + " must be between 1 and " + MAXIMUM_CONCURRENCY + ", got "
                    + shown);
        }
    }

    /** Checks a reference URL by the rules of an HTTP check's URL (http or https, a host, no credentials). */
    public static void checkReference(String name, URI url) {
        try {
            referenceCheck(url);
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage().startsWith("url: ") ? e.getMessage().substring(5) : e.getMessage();
            throw new IllegalArgumentException(name + " must be an http:// or https:// URL, e.g. "
                    + "https://www.example.com/ (" + reason + "), got " + url);
        }
    }

    /** The reference as a check: a GET with the default limit of a 60 s check (10 s), redirects followed. */
    static AssignedCheck referenceCheck(URI url) {
        return new AssignedCheck("reference", CheckDefinition.Http.get("reference", url.toString()));
    }

    @Override
    public String toString() {
        return enabled ? "on (max " + maxChecks + ", " + concurrency + " at once, reference "
                + (reference == null ? "none" : reference) + ")" : "off";
    }
}
