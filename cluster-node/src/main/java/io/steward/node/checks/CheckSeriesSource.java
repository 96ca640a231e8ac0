package io.steward.node.checks;

import io.steward.core.metrics.Point;
import io.steward.core.metrics.Resolution;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** A check's stored series, read through the metric store's seam (the store's own types stay behind it). */
public interface CheckSeriesSource {

    /** Points of one series, thinned to a chartable number, and the tier they came from. */
    record Series(Resolution resolution, List<Point> points) {}

    CompletionStage<Series> range(String subject, String series, Instant from, Instant to);

    /** The series' average between {@code from} and {@code to} (null when nothing was stored). */
    CompletionStage<@Nullable Double> average(String subject, String series, Instant from, Instant to);

    /** The series' average per UTC day (days without samples are absent). */
    CompletionStage<Map<LocalDate, Double>> dailyAverages(String subject, String series, Instant from, Instant to);
}
