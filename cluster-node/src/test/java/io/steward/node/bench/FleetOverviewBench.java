package io.steward.node.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The node's part of the overview's first card, against a running node: how long {@code GET /api/servers} takes, and
 * how long a new {@code /ws/ui} socket takes from opening to the fleet snapshot frame (open, "watch-fleet", the
 * snapshot) — what the dashboard waits for before it draws a card. JDK only, so {@code deploy/bench/fleet-bench.sh}
 * runs it in source-file mode without a build. Prints one line per run and the median, p90 and max of each.
 *
 * <p>Arguments: base URL ({@code http://127.0.0.1:PORT}), the session cookie ({@code name=value}), runs.
 */
public final class FleetOverviewBench {
    private FleetOverviewBench() {}

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String cookie = args[1];
        int runs = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Double> listMillis = new ArrayList<>();
        List<Double> snapshotMillis = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            long start = System.nanoTime();
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(base.resolve("/api/servers"))
                    .header("Cookie", cookie).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double listTook = millisSince(start);
            if (list.statusCode() != 200) {
                throw new IllegalStateException("GET /api/servers answered " + list.statusCode());
            }
            int listed = count(list.body(), "\"hostname\"");

            start = System.nanoTime();
            String snapshot = snapshotFrame(http, base, cookie);
            double snapshotTook = millisSince(start);
            int inSnapshot = count(snapshot, "\"hostname\"");
            System.out.printf("run %d: GET /api/servers %.1f ms (%d servers); /ws/ui open -> snapshot %.1f ms"
                    + " (%d servers)%n", run, listTook, listed, snapshotTook, inSnapshot);
            listMillis.add(listTook);
            snapshotMillis.add(snapshotTook);
        }
        System.out.println("GET /api/servers ms: " + summary(listMillis));
        System.out.println("/ws/ui open -> snapshot ms: " + summary(snapshotMillis));
    }

    /** Opens a socket as the browser does (cookie + same Origin), asks for the fleet, returns the snapshot frame. */
    private static String snapshotFrame(HttpClient http, URI base, String cookie) throws Exception {
        CompletableFuture<String> snapshot = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        URI socketUri = URI.create(base.toString().replaceFirst("^http", "ws") + "/ws/ui");
        WebSocket socket = http.newWebSocketBuilder().header("Cookie", cookie).header("Origin", base.toString())
                .buildAsync(socketUri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String frame = partial.toString();
                            partial.setLength(0);
                            if (frame.startsWith("{\"type\":\"fleet\"") && frame.contains("\"snapshot\":true")) {
                                snapshot.complete(frame);
                            }
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        snapshot.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"watch-fleet\"}", true).get(10, TimeUnit.SECONDS);
        String frame = snapshot.get(30, TimeUnit.SECONDS);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        return frame;
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    private static String summary(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format("median %.1f, p90 %.1f, max %.1f (n=%d)", sorted.get(sorted.size() / 2),
                sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1), sorted.get(sorted.size() - 1), sorted.size());
    }
}
