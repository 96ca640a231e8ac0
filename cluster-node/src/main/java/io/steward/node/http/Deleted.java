package io.steward.node.http;

/** The answer of every DELETE: the id of what is gone ({@code {"deleted": "web-1"}}). */
public record Deleted(String deleted) {}
