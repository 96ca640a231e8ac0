/**
 * Settings an admin changes at runtime (issue 15): what was config-only before — retention per metric tier, the
 * offline threshold, the public URL, the interval suggested to agents. The config file gives the defaults
 * ({@link io.steward.node.settings.SettingKey} names each key); the {@code node_settings} table holds overrides
 * ({@link io.steward.node.settings.SettingsStore}); every node keeps the values in force in a
 * {@link io.steward.node.settings.SettingsBook}, reloaded when any node announces a change and on a timer. Parsing and
 * validation are pure ({@link io.steward.node.settings.SettingsValidation}, {@link io.steward.node.settings.SettingText}).
 */
package io.steward.node.settings;
