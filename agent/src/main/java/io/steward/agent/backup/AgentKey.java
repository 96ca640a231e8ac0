package io.steward.agent.backup;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.steward.agent.backup.process.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own SSH key ({@code id_ed25519}, mode 0600), made once by {@code ssh-keygen} in the state directory.
 * Its private half never leaves this host; its public half goes to the node, which shows it for people to install
 * on destinations, confined there by rrsync.
 */
public final class AgentKey {
    private static final Logger log = LoggerFactory.getLogger(AgentKey.class);
    public static final String FILE = "id_ed25519";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Pattern COMMENT_UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private final Path privateKey;
    private final String publicKey;

    private AgentKey(Path privateKey, String publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** The key in {@code directory}, generated first if there is none ({@code steward-agent@<hostname>}). */
    public static AgentKey ensure(Path directory, Path sshKeygen, String hostname) throws IOException {
        Path privateKey = directory.resolve(FILE);
        Path publicFile = directory.resolve(FILE + ".pub");
        if (!Files.exists(privateKey)) {
            String comment = "steward-agent@" + COMMENT_UNSAFE.matcher(hostname).replaceAll("-");
            run(List.of(sshKeygen.toString(), "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f",
                    privateKey.toString()));
            log.info("Generated this agent's backup key [{}]", privateKey);
        } else if (!Files.exists(publicFile)) {
            // The public half can always be derived again from the private one.
            Files.writeString(publicFile, run(List.of(sshKeygen.toString(), "-y", "-f", privateKey.toString())),
                    UTF_8);
        }
        if (!Files.getPosixFilePermissions(privateKey).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(privateKey, OWNER_ONLY);
        }
        return new AgentKey(privateKey, Files.readString(publicFile, UTF_8).strip());
    }

    public Path privateKey() {
        return privateKey;
    }

    /** {@code ssh-ed25519 AAAA… steward-agent@host}, the line to install on a destination. */
    public String publicKey() {
        return publicKey;
    }

    private static String run(List<String> argv) throws IOException {
        StringBuilder out = new StringBuilder();
        List<String> errors = new ArrayList<>();
        ChildProcess process = ChildProcess.start(argv, line -> out.append(line).append('\n'), errors::add);
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.stop();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
        if (code != 0) {
            throw new IOException(argv.get(0) + " failed (exit " + code + "): " + String.join(" ", errors));
        }
        return out.toString();
    }
}
