package io.steward.core.checks.imports;

import io.steward.core.checks.CheckRules;
import io.steward.core.checks.JsonCondition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What an endpoint's Gatus conditions ask, in the terms of a Steward check. Gatus calls an endpoint healthy when every
 * condition holds; Steward's checks test a fixed set of things. A condition Steward tests the same way maps onto the
 * check; one it covers differently (latency, certificate expiry) or cannot test is noted and left out, which leaves a
 * check that asks less but never contradicts Gatus; one that asks for the opposite of what Steward tests (a refused
 * connection, a failed DNS answer) leaves the whole endpoint out.
 */
final class GatusConditions {
    /** The kind of check the endpoint becomes, which decides what a condition can map to. */
    enum Target { HTTP, HTTPS, TCP, TLS, DNS }

    /** Gatus tries the operators in this order and splits the condition on the first one present. */
    private static final List<String> OPERATORS = List.of("==", "!=", "<=", ">=", ">", "<");
    /** A Gatus JSON path after {@code [BODY].} that a {@link JsonCondition} can follow. */
    private static final Pattern PLAIN_PATH =
            Pattern.compile("([A-Za-z0-9_-]+|\\[\\d{1,6}])(\\.?\\[\\d{1,6}]|\\.[A-Za-z0-9_-]+)*");
    private static final Pattern INTEGER = Pattern.compile("\\d{1,9}");
    private static final String LATENCY_REASON = "Steward alerts on latency through rules";
    private static final String NO_COUNTERPART = "Steward has no counterpart";

    private final Target target;
    private final List<String> notes;
    private final List<String> statusConditions = new ArrayList<>();
    private IntPredicate status = code -> true;
    private @Nullable String keyword;
    private @Nullable JsonCondition json;
    private @Nullable String dnsExpect;
    private int warnDaysLeft;

    private GatusConditions(Target target, List<String> notes) {
        this.target = target;
        this.notes = notes;
    }

    /**
     * Reads {@code conditions} for an endpoint that becomes a {@code target} check, noting in {@code notes} what was
     * approximated or left out.
     *
     * @throws Skip when a condition contradicts what the check would test
     */
    static GatusConditions read(List<String> conditions, Target target, List<String> notes) {
        GatusConditions read = new GatusConditions(target, notes);
        conditions.forEach(read::read);
        return read;
    }

    /**
     * The status codes the [STATUS] conditions accept, as expectStatus (empty for any 2xx).
     *
     * @throws Skip when they accept more codes than expectStatus can list
     */
    List<Integer> expectStatus() {
        if (statusConditions.isEmpty()) {
            notes.add("no [STATUS] condition: Steward expects a 2xx status");
            return List.of();
        }
        return StatusCodes.expectStatus(status, String.join(" and ", statusConditions), notes);
    }

    @Nullable String keyword() {
        return keyword;
    }

    @Nullable JsonCondition jsonCondition() {
        return json;
    }

    @Nullable String dnsExpect() {
        return dnsExpect;
    }

    /** Steward's warning thresholds with the [CERTIFICATE_EXPIRATION] limit added, or null for the defaults. */
    @Nullable List<Integer> warnDays() {
        if (warnDaysLeft == 0) {
            return null;
        }
        List<Integer> days = new ArrayList<>(CheckRules.DEFAULT_WARN_DAYS);
        days.add(warnDaysLeft);
        return days;
    }

    private void read(String condition) {
        String operator = OPERATORS.stream().filter(op -> condition.contains(" " + op + " ")).findFirst().orElse(null);
        String[] sides = operator == null ? new String[0] : condition.split(" " + Pattern.quote(operator) + " ", -1);
        if (sides.length != 2) {
            leftOut(condition, "not understood");
            return;
        }
        String left = sides[0].strip();
        String right = sides[1].strip();
        switch (left) {
            case "[STATUS]" -> status(condition, operator, right);
            case "[CONNECTED]" -> connected(condition, operator, right);
            case "[RESPONSE_TIME]" -> leftOut(condition, LATENCY_REASON);
            case "[CERTIFICATE_EXPIRATION]" -> certificateExpiration(condition, operator, right);
            case "[DNS_RCODE]" -> dnsCode(condition, operator, right);
            case "[BODY]" -> body(condition, operator, right);
            case "[DOMAIN_EXPIRATION]" -> leftOut(condition, "Steward does not watch domain registrations");
            case "[IP]" -> leftOut(condition, "Steward does not check which address answered");
            default -> {
                if (left.startsWith("[BODY].")) {
                    jsonValue(condition, operator, left.substring("[BODY].".length()), right);
                } else {
                    leftOut(condition, NO_COUNTERPART);
                }
            }
        }
    }

    private void status(String condition, String operator, String right) {
        if (target != Target.HTTP && target != Target.HTTPS) {
            leftOut(condition, "only HTTP answers have a status");
            return;
        }
        IntPredicate holds;
        String function = function(right);
        if (function != null && (operator.equals("==") || operator.equals("!="))) {
            IntPredicate matches = function.equals("any") ? anyOf(argument(right)) : glob(argument(right));
            if (matches == null) {
                leftOut(condition, "not understood");
                return;
            }
            holds = operator.equals("==") ? matches : matches.negate();
        } else if (function == null && INTEGER.matcher(right).matches()) {
            int value = Integer.parseInt(right);
            holds = switch (operator) {
                case "==" -> code -> code == value;
                case "!=" -> code -> code != value;
                case "<" -> code -> code < value;
                case "<=" -> code -> code <= value;
                case ">" -> code -> code > value;
                default -> code -> code >= value;
            };
        } else {
            leftOut(condition, "not understood");
            return;
        }
        status = status.and(holds);
        statusConditions.add(condition);
    }

    private void connected(String condition, String operator, String right) {
        boolean wantsConnected = operator.equals("==") ? right.equals("true") : right.equals("false");
        boolean understood = (operator.equals("==") || operator.equals("!="))
                && (right.equals("true") || right.equals("false"));
        if (!understood) {
            leftOut(condition, "not understood");
        } else if (!wantsConnected) {
            throw new Skip(condition + ": expects the target to be unreachable; Steward checks that it is reachable");
        }
    }

    private void certificateExpiration(String condition, String operator, String right) {
        Duration limit = Durations.parseGo(right);
        if (target != Target.HTTPS && target != Target.TLS) {
            leftOut(condition, "only https and tls endpoints have a certificate");
        } else if (limit == null || !(operator.equals(">") || operator.equals(">="))) {
            leftOut(condition, "not understood");
        } else {
            long hours = limit.toHours();
            int days = (int) Math.max(1, Math.min(365, (hours + 23) / 24));
            warnDaysLeft = Math.max(warnDaysLeft, days);
            notes.add(condition + " imported as a certificate warning at " + days + (days == 1 ? " day" : " days")
                    + " left: Steward warns instead of failing the check");
        }
    }

    private void dnsCode(String condition, String operator, String right) {
        boolean equality = operator.equals("==") || operator.equals("!=");
        boolean wantsNoError = operator.equals("==") == right.equals("NOERROR");
        if (target != Target.DNS) {
            leftOut(condition, "only DNS endpoints have an answer code");
        } else if (!equality) {
            leftOut(condition, "not understood");
        } else if (!wantsNoError) {
            throw new Skip(condition + ": expects a failed DNS answer; Steward's DNS check is up only when the name"
                    + " resolves");
        }
        // NOERROR (or "anything but a failure code") is what a Steward DNS check tests anyway; it also wants an answer.
    }

    private void body(String condition, String operator, String right) {
        String function = function(right);
        if (target == Target.DNS) {
            if (!operator.equals("==") || function != null) {
                leftOut(condition, "Steward's DNS check expects one answer among those returned");
            } else if (dnsExpect != null) {
                leftOut(condition, "Steward's DNS check expects one answer");
            } else {
                dnsExpect = right;
            }
            return;
        }
        if (target == Target.TCP || target == Target.TLS) {
            leftOut(condition, "Steward's " + target.name().toLowerCase(Locale.ROOT)
                    + " check reads no answer");
            return;
        }
        String contained = null;
        if (operator.equals("==") && "pat".equals(function)) {
            String pattern = argument(right);
            if (pattern.length() > 2 && pattern.startsWith("*") && pattern.endsWith("*")
                    && !pattern.substring(1, pattern.length() - 1).matches(".*[*?\\[\\\\].*")) {
                contained = pattern.substring(1, pattern.length() - 1);
            }
        } else if (operator.equals("==") && function == null && !right.isEmpty()) {
            contained = right;
            notes.add(condition + " imported as a keyword: the body must contain " + Fields.clip(right)
                    + " (Steward has no exact body match)");
        }
        if (contained == null) {
            leftOut(condition, "Steward checks only that the body contains a text");
        } else if (keyword != null) {
            leftOut(condition, "Steward checks one keyword");
        } else {
            keyword = contained;
        }
    }

    private void jsonValue(String condition, String operator, String path, String right) {
        if (target != Target.HTTP && target != Target.HTTPS) {
            leftOut(condition, NO_COUNTERPART);
        } else if (!operator.equals("==") || function(right) != null || !PLAIN_PATH.matcher(path).matches()) {
            leftOut(condition, "Steward checks that the value at a JSON path equals a text");
        } else if (json != null) {
            leftOut(condition, "Steward checks one JSON value");
        } else {
            json = new JsonCondition(path, right);
        }
    }

    private void leftOut(String condition, String why) {
        notes.add(condition + " not imported: " + why);
    }

    /** {@code pat} or {@code any} when {@code value} is a call of it, else null. */
    private static @Nullable String function(String value) {
        if (value.endsWith(")") && value.startsWith("pat(")) {
            return "pat";
        }
        return value.endsWith(")") && value.startsWith("any(") ? "any" : null;
    }

    private static String argument(String call) {
        return call.substring(4, call.length() - 1);
    }

    private static IntPredicate anyOf(String options) {
        Set<String> values = Arrays.stream(options.split(",")).map(String::strip).collect(Collectors.toSet());
        return code -> values.contains(Integer.toString(code));
    }

    /**
     * Gatus matches patterns with Go's filepath.Match: {@code *}, {@code ?} and {@code [...]} classes; null when
     * {@code pattern} is not one.
     */
    private static @Nullable IntPredicate glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[', ']', '-', '^' -> regex.append(c);
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex.toString());
        } catch (PatternSyntaxException e) {
            return null;
        }
        return code -> compiled.matcher(Integer.toString(code)).matches();
    }
}
