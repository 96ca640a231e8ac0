package io.steward.agent.link;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the segment index from what an earlier run left, crashed or not: every line is checked, torn and damaged
 * ones are skipped, and files holding nothing above the acknowledgement watermark go.
 */
final class SegmentRecovery {
    private static final Logger log = LoggerFactory.getLogger(SegmentRecovery.class);

    private SegmentRecovery() {}

    /** The sealed segments of {@code directory} still holding a sequence above {@code watermark}, in order. */
    static List<Segment> recover(Path directory, long watermark) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                if (DurableFiles.isTemporary(name)) {
                    Files.deleteIfExists(path); // a renumbering interrupted before its rename: the originals remain
                } else if (Segment.isSegmentFile(name)) {
                    files.add(path);
                }
            }
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        List<Segment> segments = new ArrayList<>();
        for (Path file : files) {
            Segment segment = scan(file);
            segment.seal();
            if (segment.count == 0 || segment.lastSequence() <= watermark) {
                Files.deleteIfExists(file);
                continue;
            }
            segments.add(segment);
        }
        return segments;
    }

    private static Segment scan(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Segment segment = new Segment(file);
        int start = 0;
        long previous = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            SpoolLine line = SpoolLine.decode(bytes, start, i - start);
            if (line == null || line.sequence() <= previous) {
                log.warn("Skipping a damaged record at byte [{}] of spool segment [{}]", start, file);
            } else {
                segment.add(line.sequence(), start, i - start, line.collectedAtMillis(), line.carriedDrops());
                previous = line.sequence();
            }
            start = i + 1;
        }
        if (start < bytes.length) {
            log.warn("Skipping a torn last record ([{}] bytes) in spool segment [{}], left by a crash",
                    bytes.length - start, file);
        }
        segment.sizeBytes = bytes.length;
        return segment;
    }
}
