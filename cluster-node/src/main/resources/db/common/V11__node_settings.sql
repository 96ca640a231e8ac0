-- Settings an admin changed at runtime (issue 15), overriding the config file's values on every node. A key without a
-- row takes its value from the config file. setting_value is the canonical text (7d, 3, https://...); see
-- io.steward.node.settings.SettingKey for the keys.
CREATE TABLE IF NOT EXISTS node_settings (
    setting_key VARCHAR(100) NOT NULL PRIMARY KEY,
    setting_value VARCHAR(1000) NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by VARCHAR(100) NOT NULL
);
