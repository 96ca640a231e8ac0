// Runtime settings (admin): values in force with their source, partial updates, storage per tier, data purge.
import type { HttpClient } from '../../lib/http';
import type { PurgeBody, PurgeRequest, SettingsBody, StorageBody } from '../../lib/wire';

export function loadSettings(http: HttpClient): Promise<SettingsBody> {
  return http.get('/api/settings');
}

/**
 * Changes only the keys given; `null` resets a key to the config file's value. A 400 carries what is wrong with each
 * field in `ApiError.fields`, and nothing is stored.
 */
export function updateSettings(http: HttpClient, changes: Record<string, string | number | null>): Promise<SettingsBody> {
  return http.put('/api/settings', changes);
}

export function storageUsage(http: HttpClient): Promise<StorageBody> {
  return http.get('/api/settings/storage');
}

/** With `dryRun` (the node's default) only counts what would go; with `dryRun: false` deletes it. */
export function purge(http: HttpClient, request: PurgeRequest): Promise<PurgeBody> {
  return http.post('/api/settings/purge', request);
}
