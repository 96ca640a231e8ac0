package io.steward.node.install;

import io.steward.node.problem.Problem;
import java.util.regex.Pattern;

/**
 * Where to install: a host, its SSH port and the account to log in as, validated as they arrive from the API (a bad
 * one is a 400 naming the field, before anything connects).
 */
public record SshTarget(String host, int port, String user) {
    /** A DNS name or an IPv4/IPv6 literal: letters, digits, dots, dashes, colons; no spaces, quotes or options. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.:-]{0,252})");
    /** POSIX portable user names (what useradd accepts by default). */
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    public SshTarget {
        if (host == null || !HOST.matcher(host).matches()) {
            throw Problem.invalid("host must be a host name or an IP address (letters, digits, '.', '-', ':')");
        }
        if (port < 1 || port > 65_535) {
            throw Problem.invalid("port must be from 1 to 65535");
        }
        if (user == null || !USER.matcher(user).matches()) {
            throw Problem.invalid("user must be a login name: lower-case letters, digits, '_', '.', '-',"
                    + " at most 32 characters");
        }
    }

    /** As people write it: {@code admin@web-1:2222}. */
    @Override
    public String toString() {
        return user + "@" + host + (port == 22 ? "" : ":" + port);
    }
}
