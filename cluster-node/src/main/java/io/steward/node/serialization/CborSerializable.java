package io.steward.node.serialization;

/**
 * Marker for messages, events and state that may cross the cluster or be persisted; bound to Jackson CBOR in
 * application.conf. Everything an entity receives or persists implements it.
 */
public interface CborSerializable {}
