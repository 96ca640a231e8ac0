package io.steward.agent.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.steward.core.protocol.NodeMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What an agent keeps between runs, besides its spool: the per-server credential the node issued at enrollment
 * ({@code credential}, owner-readable only), the server id ({@code server-id}) and, on machines without
 * {@code /etc/machine-id}, a generated machine id ({@code machine-id}), and the cluster's hubs its node named in the
 * last welcome ({@code hubs}, one per line) with the certificate pins it announced for them ({@code hub-pins}, one
 * per line; kept only by an agent that pins certificates). Files are replaced atomically.
 */
public final class StateDirectory {
    static final String CREDENTIAL = "credential";
    static final String SERVER_ID = "server-id";
    static final String MACHINE_ID = "machine-id";
    private static final String ENROLLMENT_PROOF = "enrollment-proof";
    static final String HUBS = "hubs";
    static final String HUB_PINS = "hub-pins";
    /** At most this many remembered hubs are read or saved: as many as a welcome may name. */
    public static final int MAXIMUM_REMEMBERED_HUBS = NodeMessage.Welcome.MAX_HUBS;
    /** A hubs file larger than this was not written by the agent: it is refused unread. */
    static final long MAXIMUM_HUBS_BYTES = 64L << 10;
    private static final Path SYSTEM_MACHINE_ID = Path.of("/etc/machine-id");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path directory;

    private StateDirectory(Path directory) {
        this.directory = directory;
    }

    /** Opens the directory, creating it if needed; fails with a readable message if it cannot be used. */
    public static StateDirectory open(Path directory) throws IOException {
        requireNonNull(directory, "directory is null");
        Path absolute = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new IOException("cannot create the state directory " + absolute + ": " + e, e);
        }
        if (!Files.isWritable(absolute)) {
            throw new AccessDeniedException(absolute.toString(), null, "the state directory is not writable");
        }
        return new StateDirectory(absolute);
    }

    /** Whether a credential was saved in {@code directory}, without creating anything. */
    public static boolean hasCredential(Path directory) {
        return Files.isRegularFile(directory.resolve(CREDENTIAL));
    }

    public Path path() {
        return directory;
    }

    public Path credentialFile() {
        return directory.resolve(CREDENTIAL);
    }

    public Optional<String> credential() throws IOException {
        return read(CREDENTIAL);
    }

    public void saveCredential(String credential) throws IOException {
        write(CREDENTIAL, credential, true);
    }

    public Optional<String> serverId() throws IOException {
        return read(SERVER_ID);
    }

    public void saveServerId(String serverId) throws IOException {
        write(SERVER_ID, serverId, false);
    }

    /**
     * The hubs saved by {@link #saveHubs}, in their order (at most {@value #MAXIMUM_REMEMBERED_HUBS}); empty when none
     * were saved. Lines are not checked here: whoever uses them does.
     *
     * @throws IOException when the file cannot be read, is not UTF-8 or is larger than an agent would write
     */
    public List<String> rememberedHubs() throws IOException {
        return lines(HUBS);
    }

    /** Replaces the remembered hubs with {@code hubs} (the first {@value #MAXIMUM_REMEMBERED_HUBS}). */
    public void saveHubs(List<String> hubs) throws IOException {
        requireNonNull(hubs, "hubs is null");
        write(HUBS, String.join("\n", hubs.stream().limit(MAXIMUM_REMEMBERED_HUBS).toList()), false);
    }

    /**
     * The pins saved by {@link #saveHubPins}, as {@link #rememberedHubs()} reads hubs (unchecked, bounded, empty when
     * none).
     */
    public List<String> rememberedHubPins() throws IOException {
        return lines(HUB_PINS);
    }

    /** Replaces the remembered hub pins with {@code pins} (the first {@value #MAXIMUM_REMEMBERED_HUBS}). */
    public void saveHubPins(List<String> pins) throws IOException {
        requireNonNull(pins, "pins is null");
        write(HUB_PINS, String.join("\n", pins.stream().limit(MAXIMUM_REMEMBERED_HUBS).toList()), false);
    }

    private List<String> lines(String name) throws IOException {
        Path file = directory.resolve(name);
        try {
            long size = Files.size(file);
            if (size > MAXIMUM_HUBS_BYTES) {
                throw new IOException(file + " holds " + size + " bytes, more than the " + MAXIMUM_HUBS_BYTES
                        + " an agent writes");
            }
            return Files.readString(file, UTF_8).lines().map(String::strip).filter(line -> !line.isEmpty())
                    .limit(MAXIMUM_REMEMBERED_HUBS).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** {@code /etc/machine-id} when readable, else the id generated in this directory (created on first use). */
    public String machineId() throws IOException {
        try {
            String system = Files.readString(SYSTEM_MACHINE_ID, UTF_8).trim();
            if (!system.isEmpty()) {
                return system;
            }
        } catch (IOException e) {
            // Not Linux, or not readable: fall back to our own stable id.
        }
        return generatedMachineId();
    }

    /**
     * A random secret saved (owner-only) in this directory before the first enrollment attempt and sent with each:
     * the node lets a retry of a lost enrollment through only with the same proof.
     */
    public String enrollmentProof() throws IOException {
        Optional<String> saved = read(ENROLLMENT_PROOF);
        if (saved.isPresent()) {
            return saved.get();
        }
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        String generated = java.util.HexFormat.of().formatHex(random);
        write(ENROLLMENT_PROOF, generated, true);
        return generated;
    }

    /** A random id saved in this directory, stable across restarts; simulated agents use it to stay distinct. */
    public String generatedMachineId() throws IOException {
        Optional<String> saved = read(MACHINE_ID);
        if (saved.isPresent()) {
            return saved.get();
        }
        String generated = UUID.randomUUID().toString().replace("-", "");
        write(MACHINE_ID, generated, false);
        return generated;
    }

    private Optional<String> read(String name) throws IOException {
        try {
            String value = Files.readString(directory.resolve(name), UTF_8).trim();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void write(String name, String value, boolean secret) throws IOException {
        requireNonNull(value, "value is null");
        Path target = directory.resolve(name);
        Path temporary = directory.resolve(name + ".tmp");
        Files.deleteIfExists(temporary);
        FileAttribute<?>[] attributes = POSIX && secret
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap((value + "\n").getBytes(UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
