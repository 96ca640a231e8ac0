/**
 * Converting other monitoring tools' checks into Steward check definitions, so a user can move over in one step:
 * Uptime Kuma's JSON backup ({@link io.steward.core.checks.imports.UptimeKumaImport}) and Gatus's config.yaml
 * ({@link io.steward.core.checks.imports.GatusImport}). Pure functions from file text to an
 * {@link io.steward.core.checks.imports.ImportResult}: every entry of the file is either imported (with notes on
 * what was approximated) or skipped with its reason, never dropped silently. The node's import route calls these.
 */
package io.steward.core.checks.imports;
