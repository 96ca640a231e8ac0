/**
 * URL, TCP, TLS and DNS checks run from the agents: the definitions both sides validate, the result of one probe,
 * and the pure decisions the node makes from results — the quorum over vantages (with retries counted per vantage
 * and abstentions), certificate warnings, and maintenance windows. No I/O here; the agent's prober and the node's
 * check entity call these.
 */
package io.steward.core.checks;
