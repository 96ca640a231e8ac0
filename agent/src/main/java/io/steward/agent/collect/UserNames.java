package io.steward.agent.collect;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * User names by numeric id, as OSHI resolves them: /etc/passwd first, then {@code getent passwd UID} for accounts
 * from other sources (LDAP, systemd-homed), "unknown" when neither knows. Unlike OSHI, which runs getent for every
 * lookup, a getent answer (or miss) is remembered until the next refresh: the process list asks every second.
 */
final class UserNames {
    static final String UNKNOWN = "unknown";
    private static final long REFRESH_NANOS = Duration.ofMinutes(5).toNanos();
    private static final Path PASSWD = Path.of("/etc/passwd");

    private Map<Integer, String> names = new HashMap<>();
    private long loadedAt;
    private boolean loaded;

    /** The name of {@code uid}. Called from one thread at a time. */
    String name(int uid) {
        if (!loaded || System.nanoTime() - loadedAt > REFRESH_NANOS) {
            names = load();
            loadedAt = System.nanoTime();
            loaded = true;
        }
        return names.computeIfAbsent(uid, UserNames::getent);
    }

    private static Map<Integer, String> load() {
        try {
            return parsePasswd(Files.readString(PASSWD, UTF_8));
        } catch (IOException e) {
            return new HashMap<>();
        }
    }

    /** uid → name from passwd(5) text; the first entry wins where one uid has several names. */
    static Map<Integer, String> parsePasswd(String passwd) {
        Map<Integer, String> result = new HashMap<>();
        for (String line : passwd.split("\n")) {
            String[] fields = line.split(":", -1);
            if (fields.length > 2) {
                try {
                    result.putIfAbsent(Integer.parseInt(fields[2].trim()), fields[0]);
                } catch (NumberFormatException e) {
                    // A comment or a NIS "+" line: not an account.
                }
            }
        }
        return result;
    }

    private static String getent(int uid) {
        try {
            Process getent = new ProcessBuilder("getent", "passwd", Integer.toString(uid))
                    .redirectErrorStream(true).start();
            String answer = new String(getent.getInputStream().readAllBytes(), UTF_8);
            if (!getent.waitFor(5, TimeUnit.SECONDS)) {
                getent.destroyForcibly();
                return UNKNOWN;
            }
            return parsePasswd(answer).getOrDefault(uid, UNKNOWN);
        } catch (IOException e) {
            return UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        }
    }
}
