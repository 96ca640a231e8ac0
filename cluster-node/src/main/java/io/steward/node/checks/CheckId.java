package io.steward.node.checks;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A check's id: a slug of its name and six random characters ({@code Homepage} becomes {@code homepage-k3x9q2}),
 * lower-case letters, digits and dashes, at most 48 characters — safe in URLs and persistence ids, and short enough
 * that {@link #subject} fits the metric store's and the alert ledger's 64-character subject columns.
 */
public final class CheckId {
    public static final int MAX_LENGTH = 48;
    /** The prefix that tells a check's subject from a server id (server ids have no colon). */
    public static final String SUBJECT_PREFIX = "check:";
    private static final Pattern RULE = Pattern.compile("[a-z0-9][a-z0-9-]{0," + (MAX_LENGTH - 1) + "}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private CheckId() {}

    public static String newId(String name) {
        String slug = Normalizer.normalize(name, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40).replaceAll("-+$", "");
        }
        StringBuilder id = new StringBuilder(slug.isEmpty() ? "check" : slug).append('-');
        for (int i = 0; i < 6; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    public static boolean isValid(String text) {
        return text != null && RULE.matcher(text).matches();
    }

    /** The id in {@code text}, if it is one. */
    public static Optional<String> parse(String text) {
        return isValid(text) ? Optional.of(text) : Optional.empty();
    }

    /** The subject a check's series and alerts are filed under: {@code check:<id>}. */
    public static String subject(String id) {
        return SUBJECT_PREFIX + id;
    }

    /** The check id of a subject, if the subject is a check's. */
    public static Optional<String> ofSubject(String subject) {
        return subject != null && subject.startsWith(SUBJECT_PREFIX)
                ? parse(subject.substring(SUBJECT_PREFIX.length())) : Optional.empty();
    }
}
