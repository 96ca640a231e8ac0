package io.steward.node.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shell command lines an SSH install runs on the server, built without running anything (so a test reads them):
 * every value single-quoted, so a host name, path or token can never become shell syntax.
 */
final class RemoteCommands {
    /** What the install learns of the host first: kernel, machine, uid, host name, whether sudo exists. */
    static final String INSPECT = "uname -s; uname -m; id -u; hostname; command -v sudo || echo none";
    static final String MAKE_DIRECTORY = "mktemp -d /tmp/steward-install.XXXXXXXX";

    private RemoteCommands() {}

    /** How the install gets root: it is root, or sudo asks the password (on stdin), or sudo needs none. */
    enum Privilege {
        ROOT,
        SUDO_WITH_PASSWORD,
        SUDO_WITHOUT_PASSWORD
    }

    /** The host as {@link #INSPECT} described it. */
    record HostFacts(String kernel, String machine, int uid, String hostname, boolean sudo) {
        static HostFacts parse(String output) {
            List<String> lines = output.lines().map(String::strip).toList();
            if (lines.size() < 5) {
                throw new IllegalArgumentException("expected 5 lines, got: " + output.strip());
            }
            return new HostFacts(lines.get(0), lines.get(1), Integer.parseInt(lines.get(2)), lines.get(3),
                    !lines.get(4).equals("none"));
        }

        /** The bundle's architecture name for this machine, if Steward builds one. */
        Optional<String> bundleArchitecture() {
            if (!kernel.equals("Linux")) {
                return Optional.empty();
            }
            return switch (machine) {
                case "x86_64", "amd64" -> Optional.of("x86_64");
                case "aarch64", "arm64" -> Optional.of("arm64");
                default -> Optional.empty();
            };
        }
    }

    /** The bundle install.sh installs on {@code architecture} (as /downloads names it). */
    static String bundleName(String architecture) {
        return "steward-agent-linux-" + architecture + ".tar.gz";
    }

    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** {@code command} run as root: as it is, or through sudo ({@code -S} reads the password from stdin). */
    static String privileged(Privilege privilege, String command) {
        return switch (privilege) {
            case ROOT -> command;
            case SUDO_WITH_PASSWORD -> "sudo -S -p '' sh -c " + quote(command);
            case SUDO_WITHOUT_PASSWORD -> "sudo -n sh -c " + quote(command);
        };
    }

    /** Writes stdin to {@code directory/name}, readable by its owner only until root installs it. */
    static String upload(String directory, String name) {
        return "umask 077 && cat > " + quote(directory + "/" + name);
    }

    static String checksum(String directory, String name) {
        return "sha256sum " + quote(directory + "/" + name);
    }

    /** install.sh from the upload directory, with the uploaded bundle and the node's arguments. */
    static String install(String directory, String bundle, List<String> arguments) {
        List<String> words = new ArrayList<>(List.of("sh", quote(directory + "/install.sh"), "--bundle",
                quote(directory + "/" + bundle)));
        arguments.forEach(argument -> words.add(quote(argument)));
        return String.join(" ", words);
    }

    static String remove(String directory) {
        return "rm -rf " + quote(directory);
    }
}
