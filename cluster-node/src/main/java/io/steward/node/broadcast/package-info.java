/**
 * Copies every node keeps of what the cluster shares (alert rules, runtime settings) and how they learn of a change:
 * a cluster topic, with a periodic reload behind it. Depends on no other room of the node.
 */
package io.steward.node.broadcast;
