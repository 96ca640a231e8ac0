/**
 * The database every store of the node shares (and the event journal lives in): connection pool and settings
 * ({@link io.steward.node.database.Database}), the versioned schema migrations, transaction helpers
 * ({@link io.steward.node.database.Jdbc}) and the one way to run blocking work
 * ({@link io.steward.node.database.Blocking}). It imports nothing else of the node.
 */
package io.steward.node.database;
