// The backup jobs of a server: the jobs, running one now, its runs, trusting its destination's host key, browsing a
// snapshot and restoring from it, and the agent's backup key. Reading is for everyone; the rest is for admins (the
// node answers 403 otherwise), and browsing a snapshot too.
import { apiPath, type HttpClient } from '../../lib/http';
import type {
  BackupJob, BackupJobInput, BackupKey, BackupRestore, BackupRun, Deleted, RestoreAccepted, RestoreRequest, RunAccepted,
  SnapshotTree, TrustHostKeyRequest,
} from '../../lib/wire';

export function listBackupJobs(http: HttpClient, serverId: string): Promise<BackupJob[]> {
  return http.get(apiPath`/api/servers/${serverId}/backups`);
}

/** 201 the job; 400 naming the field (`sources[1]: …`), 409 a name the server already has. */
export function createBackupJob(http: HttpClient, serverId: string, job: BackupJobInput): Promise<BackupJob> {
  return http.post(apiPath`/api/servers/${serverId}/backups`, job);
}

/** A full replacement: every field as for a new job (left out = its default, not "unchanged"). */
export function updateBackupJob(http: HttpClient, serverId: string, jobId: string, job: BackupJobInput): Promise<BackupJob> {
  return http.put(apiPath`/api/servers/${serverId}/backups/${jobId}`, job);
}

/** The snapshots already on the destination stay there. */
export function deleteBackupJob(http: HttpClient, serverId: string, jobId: string): Promise<Deleted> {
  return http.delete(apiPath`/api/servers/${serverId}/backups/${jobId}`);
}

/**
 * 202 with the run to follow (its progress comes on the live socket); 409 while one runs or the host key is not
 * trusted, 503 (not-connected) while the agent is away.
 */
export function runBackupNow(http: HttpClient, serverId: string, jobId: string): Promise<RunAccepted> {
  return http.post(apiPath`/api/servers/${serverId}/backups/${jobId}/run`);
}

/** Newest first: the run in progress, then the finished ones the node keeps. */
export function listBackupRuns(http: HttpClient, serverId: string, jobId: string): Promise<BackupRun[]> {
  return http.get(apiPath`/api/servers/${serverId}/backups/${jobId}/runs`);
}

/** Where to download the backup runs of every job of a server (or of the whole fleet) as CSV. */
export function backupRunsExportUrl(serverId?: string): string {
  const params = new URLSearchParams({ format: 'csv' });
  if (serverId !== undefined) params.set('server', serverId);
  return `/api/backup-runs/export?${params.toString()}`;
}

/** `fingerprint` must be the one the agent fetched (`hostKey.fingerprint`), as the person compared it: 409 otherwise. */
export function trustHostKey(http: HttpClient, serverId: string, jobId: string, fingerprint: string): Promise<BackupJob> {
  return http.post(apiPath`/api/servers/${serverId}/backups/${jobId}/trust-host-key`, { fingerprint } satisfies TrustHostKeyRequest);
}

/** One directory of a snapshot, listed by the agent over SSH: 409 while the destination is busy, 503 agent away. */
export function snapshotTree(http: HttpClient, serverId: string, jobId: string, snapshot: string, path: string): Promise<SnapshotTree> {
  const query = new URLSearchParams({ path });
  return http.get(`${apiPath`/api/servers/${serverId}/backups/${jobId}/snapshots/${snapshot}/tree`}?${query.toString()}`);
}

/**
 * Starts a restore (202). Without `target` the path goes back to its own place, over what is there; with one, the
 * full path is recreated under it. A target outside the job's sources is a 400 unless `allowOutsideSources`.
 */
export function startRestore(http: HttpClient, serverId: string, jobId: string, request: RestoreRequest): Promise<RestoreAccepted> {
  return http.post(apiPath`/api/servers/${serverId}/backups/${jobId}/restore`, request);
}

export function restoreStatus(http: HttpClient, serverId: string, jobId: string, restoreId: string): Promise<BackupRestore> {
  return http.get(apiPath`/api/servers/${serverId}/backups/${jobId}/restores/${restoreId}`);
}

/** The agent's backup key and allow-lists; `path`: the destination directory the authorized_keys line is for. */
export function backupKey(http: HttpClient, serverId: string, path?: string): Promise<BackupKey> {
  const base = apiPath`/api/servers/${serverId}/backup-key`;
  return http.get(path === undefined || path.trim() === '' ? base : `${base}?${new URLSearchParams({ path: path.trim() }).toString()}`);
}
