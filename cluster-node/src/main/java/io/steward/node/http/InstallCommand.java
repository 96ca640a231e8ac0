package io.steward.node.http;

import java.util.List;
import java.util.Optional;

/**
 * The one-line agent install and uninstall for the "Add server" dialog: curl fetches this node's install.sh
 * (deploy/install.sh, served at /install.sh) and runs it as root with the token, the node's URL and, for a
 * self-signed node, its certificate pins. curl itself checks a self-signed node by its public key
 * ({@code --pinnedpubkey}: curl cannot pin a certificate fingerprint), install.sh then by the fingerprint the agent pins.
 *
 * @param install the command that installs and starts the agent
 * @param uninstall the command that removes it again
 */
record InstallCommand(String install, String uninstall) {

    /**
     * The commands, or empty when the node cannot offer them: it serves no downloads, or plain HTTP (install.sh
     * downloads only over HTTPS).
     *
     * @param base this node's web address as the admin reached it ({@code https://node:8443})
     * @param hubs the agent endpoints, this node's first
     * @param pins the self-signed certificates' fingerprints (empty for a CA-issued one)
     * @param publicKeyPin this node's self-signed certificate's public-key pin, for curl
     */
    static Optional<InstallCommand> of(boolean downloads, String base, String token, List<String> hubs,
            List<String> pins, Optional<String> publicKeyPin) {
        if (!downloads || !base.startsWith("https://")) {
            return Optional.empty();
        }
        String fetch = "curl -fsSL" + publicKeyPin.map(key -> " --insecure --pinnedpubkey sha256//" + key).orElse("")
                + " " + base + "/install.sh | sudo sh -s --";
        return Optional.of(new InstallCommand(fetch + " " + String.join(" ", arguments(base, token, hubs, pins)),
                fetch + " --uninstall"));
    }

    /**
     * install.sh's arguments: the node's URL and the token, the pins of a self-signed cluster, and the other members
     * as hubs (install.sh derives the agent endpoint from --url). The SSH install passes the same.
     */
    static List<String> arguments(String base, String token, List<String> hubs, List<String> pins) {
        List<String> words = new java.util.ArrayList<>(List.of("--url", base, "--token", token));
        if (!pins.isEmpty()) {
            words.addAll(List.of("--pin", String.join(",", pins)));
        }
        if (hubs.size() > 1) {
            words.addAll(List.of("--hub", String.join(",", hubs)));
        }
        return words;
    }
}
