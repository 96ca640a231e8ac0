package io.steward.core.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Thins a sorted series to at most a given number of points by merging runs of neighbours into equal-width time
 * buckets (average of averages weighted equally, min of mins, max of maxes). Keeps spikes visible through min/max,
 * which a plain every-nth pick would drop.
 */
public final class Downsampler {
    private Downsampler() {}

    public static List<Point> toAtMost(List<Point> sorted, int maxPoints, long fromMillis, long toMillis) {
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be >= 1");
        }
        if (sorted.size() <= maxPoints) {
            return sorted;
        }
        long span = Math.max(1, toMillis - fromMillis);
        long width = Math.max(1, (span + maxPoints - 1) / maxPoints);
        List<Point> out = new ArrayList<>(maxPoints);
        long bucketStart = Long.MIN_VALUE;
        double sum = 0;
        double min = 0;
        double max = 0;
        int count = 0;
        for (Point point : sorted) {
            long bucket = fromMillis + Math.floorDiv(point.epochMillis() - fromMillis, width) * width;
            if (count > 0 && bucket != bucketStart) {
                out.add(new Point(bucketStart, sum / count, min, max));
                count = 0;
            }
            if (count == 0) {
                bucketStart = bucket;
                sum = 0;
                min = point.min();
                max = point.max();
            }
            sum += point.value();
            min = Math.min(min, point.min());
            max = Math.max(max, point.max());
            count++;
        }
        if (count > 0) {
            out.add(new Point(bucketStart, sum / count, min, max));
        }
        return out;
    }
}
