// Words for the settings page: labels of the keys the node lists, where a value comes from, tier names.
import type { Setting, SettingSource } from '../../lib/wire';

const LABELS: Readonly<Record<string, string>> = {
  offlineAfterMissedReports: 'Offline after missed reports',
  agentInterval: 'Agent interval',
  publicUrl: 'Public URL',
  retentionRaw: 'Raw data retention',
  retentionOneMinute: '1-minute rollup retention',
  retentionOneHour: '1-hour rollup retention',
};

/** A label for a key; a key a newer node lists is shown by its name. */
export function settingLabel(key: string): string {
  return LABELS[key] ?? key;
}

/** "From the config file", or "Overridden here — the config file says 3". */
export function sourceText(setting: Pick<Setting, 'source' | 'configValue' | 'configKey'>): string {
  const shown = setting.configValue === '' ? '(empty)' : setting.configValue;
  const texts: Record<SettingSource, string> = {
    default: `Built-in default (${setting.configKey})`,
    config: `From the config file (${setting.configKey})`,
    database: `Overridden here — the config file says ${shown}`,
  };
  return texts[setting.source];
}

export function tierLabel(tier: string): string {
  return tier === 'raw' ? 'Raw reports' : tier === 'one-minute' ? '1-minute rollups' : tier === 'one-hour' ? '1-hour rollups' : tier;
}

/** What the form sends for a changed value: a whole number for a count when it is one, else the text as typed. */
export function requestValue(setting: Pick<Setting, 'kind'>, text: string): string | number {
  return setting.kind === 'count' && /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : text.trim();
}
