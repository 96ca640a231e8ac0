package io.steward.core.checks;

/** The request methods an HTTP check may send; none has a body. */
public enum HttpMethod {
    GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS
}
