package io.steward.node.http;

import io.steward.node.problem.Problem;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error model of the API: every failure becomes {@code {"error": "...", "code": "..."}} with the status this
 * table gives its {@link Problem.Code}. A status is never chosen from a message's text; anything that is not a
 * {@link Problem} (an {@link IllegalArgumentException} included) is a bug, answered 500 with an id the log repeats.
 */
final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    /** Code to HTTP status: the whole mapping. */
    static final Map<Problem.Code, StatusCode> STATUS = new EnumMap<>(Map.ofEntries(
            Map.entry(Problem.Code.INVALID, StatusCodes.BAD_REQUEST),
            Map.entry(Problem.Code.NOT_FOUND, StatusCodes.NOT_FOUND),
            Map.entry(Problem.Code.GONE, StatusCodes.GONE),
            Map.entry(Problem.Code.CONFLICT, StatusCodes.CONFLICT),
            Map.entry(Problem.Code.REFUSED, StatusCodes.CONFLICT),
            Map.entry(Problem.Code.NOT_CONNECTED, StatusCodes.SERVICE_UNAVAILABLE),
            Map.entry(Problem.Code.TIMED_OUT, StatusCodes.GATEWAY_TIMEOUT),
            Map.entry(Problem.Code.UNAVAILABLE, StatusCodes.SERVICE_UNAVAILABLE),
            Map.entry(Problem.Code.UPSTREAM_FAILED, StatusCodes.BAD_GATEWAY),
            Map.entry(Problem.Code.UNAUTHENTICATED, StatusCodes.UNAUTHORIZED),
            Map.entry(Problem.Code.FORBIDDEN, StatusCodes.FORBIDDEN),
            Map.entry(Problem.Code.RATE_LIMITED, StatusCodes.TOO_MANY_REQUESTS),
            Map.entry(Problem.Code.TOO_LARGE, StatusCodes.PAYLOAD_TOO_LARGE),
            Map.entry(Problem.Code.UNSUPPORTED_MEDIA_TYPE, StatusCodes.UNSUPPORTED_MEDIA_TYPE),
            Map.entry(Problem.Code.INTERNAL, StatusCodes.INTERNAL_SERVER_ERROR)));

    private ErrorResponses() {}

    /** The body of every error answer. */
    record ErrorBody(String error, Problem.Code code) {}

    static HttpResponse of(Problem problem) {
        return Json.response(STATUS.get(problem.code()), new ErrorBody(problem.getMessage(), problem.code()));
    }

    static HttpResponse of(Problem.Code code, String message) {
        return of(new Problem(code, message));
    }

    /** Maps whatever a route failed with (possibly wrapped by a future) to one JSON error. */
    static HttpResponse of(Throwable thrown) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof Problem problem) {
            return of(problem);
        }
        if (failure instanceof TimeoutException) {
            // An ask that got no answer in time: the entity is busy or moving; the request may be repeated.
            return of(Problem.Code.UNAVAILABLE, "timed out; try again");
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        log.error("Request failed with an unexpected error [{}]", id, failure);
        return of(Problem.Code.INTERNAL, "internal error " + id + "; see the node log");
    }

    /**
     * An error Pekko's own directives produced (a rejection): it keeps its status (405 stays 405) and gets the code
     * that status stands for, so clients still parse one shape.
     */
    static HttpResponse rejection(StatusCode status, String message) {
        return Json.response(status, new ErrorBody(message, codeFor(status)));
    }

    /** The code an HTTP status stands for. */
    static Problem.Code codeFor(StatusCode status) {
        Optional<Problem.Code> exact = STATUS.entrySet().stream()
                .filter(entry -> entry.getValue().equals(status) && entry.getKey() != Problem.Code.REFUSED)
                .map(Map.Entry::getKey).findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        return status.intValue() >= 500 ? Problem.Code.INTERNAL : Problem.Code.INVALID;
    }

    private static Throwable unwrap(Throwable thrown) {
        Throwable failure = thrown;
        while ((failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }
}
