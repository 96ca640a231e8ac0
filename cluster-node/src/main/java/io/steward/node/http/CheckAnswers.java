package io.steward.node.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.core.checks.CertificateInfo;
import io.steward.core.checks.QuorumDecision;
import io.steward.node.checks.CheckJson;
import io.steward.node.checks.CheckView;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A check as the API answers it: every definition field (defaults filled in), then what the node knows — id,
 * state, since, the vantages' standing, the certificate, the uptime. The definition's own {@code vantages} object is
 * answered as {@code vantageSelection}, since {@code vantages} is the list of standings the issue names.
 */
final class CheckAnswers {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CheckAnswers() {}

    /** Uptime fractions over 24 h, 7 d and 30 d (null: no data). */
    record Uptime(@Nullable Double day, @Nullable Double week, @Nullable Double month) {
        static final Uptime NONE = new Uptime(null, null, null);
    }

    static ObjectNode of(CheckView view, Uptime uptime, Map<String, String> serverNames, Instant now) {
        ObjectNode answer = NODES.objectNode();
        answer.put("id", view.id());
        ObjectNode definition = CheckJson.tree(view.spec().definition());
        answer.setAll(definition);
        answer.remove("vantages");
        answer.set("vantageSelection", definition.get("vantages"));
        answer.put("group", view.spec().group());
        answer.put("state", view.state().wireName());
        answer.put("quorumState", view.quorumState().wireName());
        answer.put("since", view.since().toString());
        ArrayNode vantages = answer.putArray("vantages");
        for (QuorumDecision.Verdict verdict : view.vantages()) {
            ObjectNode vantage = vantages.addObject();
            vantage.put("serverId", verdict.serverId());
            vantage.put("serverName", serverNames.getOrDefault(verdict.serverId(), verdict.serverId()));
            vantage.put("state", verdict.state().wireName());
            vantage.put("reason", verdict.reason() == null ? null : verdict.reason().wireName());
            if (verdict.latencyMillis() == null) {
                vantage.putNull("latencyMillis");
            } else {
                vantage.put("latencyMillis", round(verdict.latencyMillis()));
            }
            vantage.put("address", verdict.address());
            CheckView.Latest latest = view.latest().get(verdict.serverId());
            vantage.put("at", latest == null ? null : latest.at().toString());
            vantage.put("message", latest == null ? null : latest.message());
        }
        ArrayNode addresses = answer.putArray("failingAddresses");
        view.failingAddresses().forEach(addresses::add);
        answer.set("certificate", certificate(view.certificate(), view.mismatch(), now));
        ObjectNode up = answer.putObject("uptime");
        putFraction(up, "day", uptime.day());
        putFraction(up, "week", uptime.week());
        putFraction(up, "month", uptime.month());
        if (view.latencyMillis() == null) {
            answer.putNull("latencyMillis");
        } else {
            answer.put("latencyMillis", round(view.latencyMillis()));
        }
        answer.put("mismatch", view.mismatch());
        answer.put("createdAt", view.createdAt().toString());
        answer.put("updatedAt", view.updatedAt().toString());
        return answer;
    }

    /**
     * The answer without what only admins may read: header values (an Authorization header, an API key) and the
     * user-info of the URL.
     */
    static ObjectNode masked(ObjectNode answer) {
        ObjectNode copy = answer.deepCopy();
        if (copy.get("headers") instanceof ObjectNode headers) {
            java.util.List<String> names = new java.util.ArrayList<>();
            headers.fieldNames().forEachRemaining(names::add);
            names.forEach(name -> headers.put(name, "(hidden)"));
        }
        if (copy.hasNonNull("url")) {
            copy.put("url", copy.get("url").asText().replaceFirst("^([a-zA-Z]+://)[^/@]*@", "$1"));
        }
        return copy;
    }

    private static @Nullable ObjectNode certificate(@Nullable CertificateInfo certificate, boolean mismatch,
            Instant now) {
        if (certificate == null) {
            return null;
        }
        ObjectNode node = NODES.objectNode();
        // A started day counts as one, like CertificateInfo#daysLeftAt: 4 days 23 hours left is 5.
        node.put("daysLeft", Math.floorDiv(Duration.between(now, certificate.notAfter()).toSeconds() + 86_399,
                86_400));
        node.put("notAfter", certificate.notAfter().toString());
        node.put("chainNotAfter", certificate.chainNotAfter().toString());
        node.put("chainDaysLeft", certificate.daysLeftAt(now));
        node.put("issuer", certificate.issuer());
        node.put("subject", certificate.subject());
        node.put("fingerprint", certificate.fingerprint());
        node.put("trusted", certificate.trusted());
        node.put("problem", certificate.problem());
        node.put("endpoint", certificate.endpoint());
        node.put("mismatch", mismatch);
        return node;
    }

    private static void putFraction(ObjectNode node, String field, @Nullable Double value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, Math.round(value * 1_000_000) / 1_000_000.0);
        }
    }

    static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }
}
