/**
 * The agent-to-node wire protocol: versioned JSON records exchanged over the agent WebSocket.
 *
 * <p>Conversation: the agent opens {@code /ws/agent} and sends {@link io.steward.core.protocol.AgentMessage.Hello}
 * first (protocol version + credential or enrollment token). The node answers
 * {@link io.steward.core.protocol.NodeMessage.Welcome} or an {@link io.steward.core.protocol.NodeMessage.Error}
 * and closes. After a welcome the agent streams {@link io.steward.core.protocol.AgentMessage.Report}s, each with a
 * sequence number; the node answers {@link io.steward.core.protocol.NodeMessage.Ack} once the report is durably
 * stored, and only then may the agent drop it from its spool.
 */
package io.steward.core.protocol;
