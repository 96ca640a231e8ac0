package io.steward.core.checks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A condition on a JSON response: the value at a dotted path equals an expected text. Deliberately small (no filters
 * or wildcards): {@code status}, {@code checks.db.state}, {@code items[0].ok}; a leading {@code $.} is accepted.
 * Numbers, booleans and strings compare by their text ({@code true}, {@code 200}, {@code ok}).
 */
public record JsonCondition(String path, String equals) {
    public static final int MAX_PATH = 256;
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d{1,6})]");

    public JsonCondition {
        if (equals == null) {
            throw new IllegalArgumentException("jsonCondition.equals: required");
        }
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("jsonCondition.path: required");
        }
        path = path.strip();
        if (path.length() > MAX_PATH || CheckRules.hasControl(path)) {
            throw new IllegalArgumentException("jsonCondition.path: at most " + MAX_PATH + " characters on one line");
        }
        if (equals.length() > CheckRules.MAX_KEYWORD) {
            throw new IllegalArgumentException("jsonCondition.equals: at most " + CheckRules.MAX_KEYWORD
                    + " characters");
        }
        steps(path);
    }

    /** The outcome of testing a document. */
    public record Verdict(boolean holds, String actual) {}

    /** Tests {@code document}; {@code actual} is the text found at the path, or a note that nothing was there. */
    public Verdict test(JsonNode document) {
        JsonNode node = document;
        for (Object step : steps(path)) {
            if (node == null) {
                break;
            }
            node = step instanceof Integer index ? node.get(index) : node.get((String) step);
        }
        if (node == null || node.isMissingNode()) {
            return new Verdict(false, "(nothing at " + path + ")");
        }
        String actual = node.isValueNode() ? node.asText() : node.toString();
        return new Verdict(actual.equals(equals), actual);
    }

    private static List<Object> steps(String path) {
        String rest = path.startsWith("$.") ? path.substring(2) : path;
        List<Object> steps = new ArrayList<>();
        int at = 0;
        while (at < rest.length()) {
            if (rest.charAt(at) == '.' && at > 0) {
                at++;
            }
            Matcher step = STEP.matcher(rest).region(at, rest.length());
            if (!step.lookingAt()) {
                throw new IllegalArgumentException("jsonCondition.path: '" + CheckRules.clip(path)
                        + "' is not a dotted path (e.g. status, checks.db.state, items[0].ok)");
            }
            steps.add(step.group(1) != null ? step.group(1) : Integer.valueOf(step.group(2)));
            at = step.end();
        }
        if (steps.isEmpty() || rest.endsWith(".")) {
            throw new IllegalArgumentException("jsonCondition.path: '" + CheckRules.clip(path)
                    + "' is not a dotted path (e.g. status, checks.db.state, items[0].ok)");
        }
        return steps;
    }
}
