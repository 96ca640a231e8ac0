/**
 * The fleet overview's read model: every node keeps the whole fleet's summaries, folded from the entities' pushes on
 * the cluster-wide fleet topic, so {@code GET /api/servers} and the {@code /ws/ui} snapshot answer without asking 500
 * entities. Depends on the server room (its summary and update types, its directory for seeding) and on nothing else.
 */
package io.steward.node.overview;
