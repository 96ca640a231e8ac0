package io.steward.node.database;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One migration script: its statements and a checksum of its text. Statements end with {@code ;}; {@code --}
 * comments run to the end of the line. The scripts are ours, so no string literal, dollar quoting or procedure body
 * contains a semicolon; {@link #parse} refuses quotes rather than guess.
 */
record SqlScript(String name, List<String> statements, String checksum) {
    SqlScript {
        requireNonNull(name, "name is null");
        statements = List.copyOf(statements);
        requireNonNull(checksum, "checksum is null");
    }

    static SqlScript load(String resource) {
        try (InputStream in = SqlScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + resource + " is missing from the classpath");
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration script " + resource, e);
        }
    }

    static SqlScript parse(String name, String text) {
        String normalised = text.replace("\r\n", "\n");
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : normalised.split("\n", -1)) {
            int comment = line.indexOf("--");
            String code = comment < 0 ? line : line.substring(0, comment);
            if (code.indexOf('\'') >= 0 || code.indexOf('$') >= 0) {
                throw new IllegalArgumentException(name + ": string literals and dollar quotes are not supported: "
                        + line.strip());
            }
            int start = 0;
            int semicolon;
            while ((semicolon = code.indexOf(';', start)) >= 0) {
                current.append(code, start, semicolon);
                addStatement(statements, current);
                start = semicolon + 1;
            }
            current.append(code.substring(start)).append('\n');
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException(name + ": the last statement does not end with ';'");
        }
        return new SqlScript(name, statements, sha256(normalised));
    }

    private static void addStatement(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
