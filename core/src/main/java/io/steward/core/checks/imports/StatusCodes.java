package io.steward.core.checks.imports;

import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Sets of accepted HTTP status codes, as ranges and comparisons describe them, turned into a check's
 * {@code expectStatus}: empty for exactly 200–299 (Steward's default, any 2xx), else the list of codes. A set wider
 * than the list allows is narrowed to the registered codes in it, which are the ones servers send.
 */
final class StatusCodes {
    /** The most codes expectStatus holds. */
    static final int MAX_CODES = 50;
    /**
     * The final status codes registered with IANA (RFC 9110 and extensions), unused ones (306, 418) left out. 1xx are
     * interim answers, never the status a check ends with.
     */
    static final List<Integer> REGISTERED = List.of(
            200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
            300, 301, 302, 303, 304, 305, 307, 308,
            400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417,
            421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
            500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511);

    private StatusCodes() {}

    /**
     * The expectStatus for the codes {@code accepted} allows.
     *
     * @param description what in the other tool's file allowed them, for notes and reasons ("[STATUS] &lt; 400")
     * @throws Skip when no code is allowed or too many to list even when narrowed
     */
    static List<Integer> expectStatus(IntPredicate accepted, String description, List<String> notes) {
        List<Integer> codes = IntStream.rangeClosed(200, 599).filter(accepted).boxed().toList();
        if (codes.equals(IntStream.rangeClosed(200, 299).boxed().toList())) {
            return List.of();
        }
        if (codes.isEmpty()) {
            throw new Skip(description + " accepts no final status code (200 to 599)");
        }
        if (codes.size() <= MAX_CODES) {
            return codes;
        }
        List<Integer> registered = REGISTERED.stream().filter(accepted::test).toList();
        if (registered.isEmpty() || registered.size() > MAX_CODES) {
            throw new Skip(description + " accepts " + codes.size() + " status codes; Steward lists at most "
                    + MAX_CODES + " (or accepts any 2xx)");
        }
        notes.add(description + " imported as the " + registered.size() + " registered status codes it accepts");
        return registered;
    }
}
