package io.steward.core.services;

/** What a node may ask an agent to do to a service it has configured; anything else is refused by the agent. */
public enum ServiceAction {
    START, STOP, RESTART, LOGS
}
