/**
 * The agent's probe engine for URL, TCP, TLS and DNS checks: {@link io.steward.agent.checks.Prober} runs one attempt
 * with honest per-phase timings (DNS, connect, TLS, first byte) on plain JDK sockets — no shell, no HTTP library —
 * and {@link io.steward.agent.checks.Checks} runs the assigned checks on their intervals with bounded concurrency
 * and a cap, handing each result to a sink (the seam the link will feed into {@code CheckResults} frames).
 */
package io.steward.agent.checks;
