package io.steward.agent.backup.operation;

import static java.util.Objects.requireNonNull;

import io.steward.agent.backup.process.Cancellation.CancelledException;
import io.steward.agent.backup.process.Cancellation;
import io.steward.agent.backup.process.ChildProcess;
import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.HostKey;
import io.steward.core.protocol.AgentMessage.HostKeyFetched;
import io.steward.core.protocol.NodeMessage.FetchHostKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Fetches a destination's host key with {@code ssh-keyscan}, for people to confirm by its fingerprint and the
 * node to pin (trust on first use). ed25519 is preferred, then ECDSA, then RSA.
 */
public final class HostKeyScanner {
    /** Seconds ssh-keyscan waits for the server. */
    static final int TIMEOUT_SECONDS = 10;
    private static final List<String> PREFERENCE = List.of("ssh-ed25519", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");

    private final BackupTools tools;

    public HostKeyScanner(BackupTools tools) {
        this.tools = requireNonNull(tools, "tools is null");
    }

    static List<String> argv(BackupTools tools, BackupDestination destination) {
        return List.of(tools.programs().sshKeyscan().toString(), "-T", Integer.toString(TIMEOUT_SECONDS), "-p",
                Integer.toString(destination.port()), destination.host());
    }

    public HostKeyFetched fetch(FetchHostKey fetch, Cancellation cancellation) throws InterruptedException {
        List<String> keys = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        try {
            cancellation.check();
            ChildProcess process = ChildProcess.start(argv(tools, fetch.destination()), keys::add, errors::add);
            cancellation.running(process);
            try {
                process.waitFor();
            } finally {
                cancellation.running(null);
            }
            cancellation.check();
        } catch (CancelledException e) {
            return new HostKeyFetched(fetch.commandId(), null, e.reason(), "the agent stopped while it asked");
        } catch (IOException e) {
            return new HostKeyFetched(fetch.commandId(), null, BackupFailure.UNREACHABLE,
                    "cannot run ssh-keyscan: " + e.getMessage());
        }
        Optional<HostKey> key = preferred(keys);
        if (key.isPresent()) {
            return new HostKeyFetched(fetch.commandId(), key.get(), null, null);
        }
        String said = errors.stream().map(String::strip).filter(line -> !line.startsWith("#"))
                .reduce((first, second) -> first + " " + second).orElse("");
        return new HostKeyFetched(fetch.commandId(), null, BackupFailure.UNREACHABLE, "no SSH server answered at "
                + fetch.destination().address() + " within " + TIMEOUT_SECONDS + " s" + (said.isEmpty() ? "" : ": "
                + said));
    }

    /** The preferred key among ssh-keyscan's lines ({@code host type base64}; comments start with #). */
    static Optional<HostKey> preferred(List<String> lines) {
        List<HostKey> keys = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 3 && !fields[0].startsWith("#")) {
                try {
                    keys.add(new HostKey(fields[1], fields[2]));
                } catch (IllegalArgumentException e) {
                    // Not a key line.
                }
            }
        }
        return keys.stream().min((a, b) -> Integer.compare(rank(a), rank(b)));
    }

    private static int rank(HostKey key) {
        int index = PREFERENCE.indexOf(key.type());
        return index < 0 ? PREFERENCE.size() : index;
    }
}
