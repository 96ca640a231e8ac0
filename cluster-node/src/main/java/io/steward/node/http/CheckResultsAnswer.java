package io.steward.node.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.core.metrics.Point;
import io.steward.node.checks.CheckFailures;
import io.steward.node.checks.CheckSeriesSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/checks/{id}/results}: latency per vantage and phase, up/down per vantage, percentiles of the total
 * latency per vantage (from the points read: exact at raw resolution, of per-bucket averages beyond it), and the
 * newest failures with their reasons.
 */
final class CheckResultsAnswer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CheckResultsAnswer() {}

    static ObjectNode of(Instant from, Instant to, Map<String, CompletableFuture<CheckSeriesSource.Series>> latency,
            Map<String, CompletableFuture<CheckSeriesSource.Series>> up, List<CheckFailures.Failure> failures) {
        ObjectNode answer = NODES.objectNode();
        answer.put("from", from.toString());
        answer.put("to", to.toString());
        String resolution = "raw";
        ArrayNode latencies = answer.putArray("latency");
        ArrayNode stats = NODES.arrayNode();
        for (Map.Entry<String, CompletableFuture<CheckSeriesSource.Series>> entry : latency.entrySet()) {
            String[] key = entry.getKey().split("\\|", 2);
            CheckSeriesSource.Series series = entry.getValue().join();
            if (series.points().isEmpty()) {
                continue;
            }
            resolution = series.resolution().label();
            String phase = key[1].equals("first_byte") ? "firstByte" : key[1];
            ObjectNode line = latencies.addObject();
            line.put("vantage", key[0]);
            line.put("phase", phase);
            points(line.putArray("points"), series.points());
            if (phase.equals("total")) {
                List<Double> values = new ArrayList<>();
                series.points().forEach(point -> values.add(point.value()));
                values.sort(Double::compare);
                ObjectNode stat = stats.addObject();
                stat.put("vantage", key[0]);
                stat.put("phase", phase);
                stat.put("p50", CheckAnswers.round(percentile(values, 0.50)));
                stat.put("p95", CheckAnswers.round(percentile(values, 0.95)));
                stat.put("p99", CheckAnswers.round(percentile(values, 0.99)));
                stat.put("count", values.size());
            }
        }
        ArrayNode ups = answer.putArray("up");
        up.forEach((vantage, future) -> {
            CheckSeriesSource.Series series = future.join();
            ObjectNode line = ups.addObject();
            line.put("vantage", vantage);
            points(line.putArray("points"), series.points());
        });
        answer.put("resolution", resolution);
        answer.set("stats", stats);
        ArrayNode failed = answer.putArray("failures");
        for (CheckFailures.Failure failure : failures) {
            ObjectNode item = failed.addObject();
            item.put("at", failure.at().toString());
            item.put("vantage", failure.vantage());
            item.put("reason", failure.reason());
            item.put("message", failure.message());
            if (failure.statusCode() == null) {
                item.putNull("statusCode");
            } else {
                item.put("statusCode", failure.statusCode());
            }
            item.put("address", failure.address());
            item.put("excerpt", failure.excerpt());
        }
        return answer;
    }

    private static void points(ArrayNode array, List<Point> points) {
        for (Point point : points) {
            ObjectNode node = array.addObject();
            node.put("t", point.epochMillis());
            node.put("v", CheckAnswers.round(point.value()));
        }
    }

    /** The nearest-rank percentile of sorted {@code values}. */
    static double percentile(List<Double> values, double fraction) {
        int rank = (int) Math.ceil(fraction * values.size());
        return values.get(Math.max(0, Math.min(values.size() - 1, rank - 1)));
    }
}
