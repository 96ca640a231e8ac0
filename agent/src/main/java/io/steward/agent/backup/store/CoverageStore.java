package io.steward.agent.backup.store;

import io.steward.core.protocol.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Each job's {@link VerifyCoverage}, one file per job ({@code <jobId>.json}). */
public final class CoverageStore {
    private static final Logger log = LoggerFactory.getLogger(CoverageStore.class);

    private final Path directory;

    public CoverageStore(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    public VerifyCoverage load(String jobId) {
        Path file = file(jobId);
        if (!Files.exists(file)) {
            return VerifyCoverage.NONE;
        }
        try {
            return WireFormat.mapper().readValue(file.toFile(), VerifyCoverage.class);
        } catch (IOException e) {
            log.warn("Cannot read the verification coverage [{}]; starting over: {}", file, e.getMessage());
            return VerifyCoverage.NONE;
        }
    }

    public void save(String jobId, VerifyCoverage coverage) throws IOException {
        AtomicFile.write(file(jobId), WireFormat.mapper().writeValueAsBytes(coverage));
    }

    private Path file(String jobId) {
        // Job ids are checked by BackupJobSpec: lower-case letters, digits and dashes.
        return directory.resolve(jobId + ".json");
    }
}
