package io.steward.agent.link;

import java.util.Arrays;
import java.util.List;

/** A line's place in the spool's index: line {@code index} of segment {@code segmentIndex} in {@code segments}. */
record SpoolPosition(List<Segment> segments, int segmentIndex, int index) {

    /** The position of the first line with a sequence of at least {@code sequence}, or null if there is none. */
    static SpoolPosition firstAtLeast(List<Segment> segments, long sequence) {
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.count > 0 && segment.lastSequence() >= sequence) {
                int index = Arrays.binarySearch(segment.sequences, 0, segment.count, sequence);
                return new SpoolPosition(segments, i, index >= 0 ? index : -index - 1);
            }
        }
        return null;
    }

    /** The position of the line with exactly {@code sequence}, or null if there is none. */
    static SpoolPosition exactly(List<Segment> segments, long sequence) {
        SpoolPosition position = firstAtLeast(segments, sequence);
        return position != null && position.sequence() == sequence ? position : null;
    }

    Segment segment() {
        return segments.get(segmentIndex);
    }

    long sequence() {
        return segment().sequences[index];
    }

    long carriedDrops() {
        return segment().carried[index];
    }

    /** The next line in sequence order, or null after the last. */
    SpoolPosition following() {
        if (index + 1 < segment().count) {
            return new SpoolPosition(segments, segmentIndex, index + 1);
        }
        for (int next = segmentIndex + 1; next < segments.size(); next++) {
            if (segments.get(next).count > 0) {
                return new SpoolPosition(segments, next, 0);
            }
        }
        return null;
    }
}
