// Jobs, runs and progress as the node sends them, for the backup tests (never imported by the app).
import type { BackupJob, BackupProgress, BackupRestore, BackupRun, HostKey } from '../../lib/wire';

export const FINGERPRINT = 'SHA256:uK4b1m3Yf0f7WJpQ8s6x2Vn5T9cR1eL0aZ7dH3gK2pM';
export const OLD_FINGERPRINT = 'SHA256:Zq9w8E7r6T5y4U3i2O1pA0sD9f8G7h6J5k4L3z2X1cV';

export function hostKey(extra: Partial<HostKey> = {}): HostKey {
  return { fingerprint: FINGERPRINT, type: 'ssh-ed25519', trusted: true, changed: false, trustedFingerprint: FINGERPRINT, error: null,
    seenAt: '2026-12-02T08:00:00Z', ...extra };
}

export function run(extra: Partial<BackupRun> = {}): BackupRun {
  return {
    id: 'run-1', state: 'succeeded', trigger: 'schedule', dueFor: '2026-12-02T02:30:00Z', startedAt: '2026-12-02T02:30:01Z',
    finishedAt: '2026-12-02T02:30:42Z', snapshot: '2026-12-02T023001Z',
    stats: { filesTotal: 1204, filesTransferred: 12, totalBytes: 2469606195, bytesTransferred: 3250585, durationSeconds: 41, exitCode: 0 },
    failure: null, reason: null, problemFiles: [], log: ['sent 3.25M bytes  received 1.2K bytes', 'total size is 2.47G'], pruned: [], by: null,
    missedCount: 0, ...extra,
  };
}

export function restore(extra: Partial<BackupRestore> = {}): BackupRestore {
  return { id: 'restore-1', state: 'running', snapshot: '2026-12-02T023001Z', path: '/srv/www/index.html', target: null, by: 'admin',
    startedAt: '2026-12-02T09:00:00Z', finishedAt: null, files: 0, bytes: 0, failure: null, reason: null, log: [], ...extra };
}

export function progress(extra: Partial<BackupProgress> = {}): BackupProgress {
  return { commandId: 'cmd-1', operation: 'run', phase: 'transferring', percent: 42, bytes: 1288490189, bytesPerSecond: 26214400,
    etaSeconds: 95, filesDone: 120, filesTotal: 1204, ...extra };
}

/** A healthy job: trusted key, one good run, two snapshots. */
export function job(extra: Partial<BackupJob> = {}): BackupJob {
  return {
    id: 'www-k3x9', name: 'www', sources: ['/srv/www'], excludes: ['*.tmp'],
    destination: { host: 'nas.lan', port: 22, user: 'backup', path: '/srv/backups/web-1' },
    schedule: { cron: '30 2 * * *', timeZone: 'Europe/Berlin', everyHours: null },
    retention: { keepLast: 7, daily: 7, weekly: 4, monthly: 12 }, bandwidthKiBps: null, timeout: null, enabled: true, verifyEveryHours: 24,
    status: 'ok', lastGoodAt: new Date(Date.now() - 3 * 3600_000 - 60_000).toISOString(), recoveryPointAgeSeconds: 10_860,
    nextRunAt: new Date(Date.now() + 2 * 3600_000 + 5 * 60_000 + 30_000).toISOString(), hostKey: hostKey(), lastRun: run(),
    progress: null,
    verification: { ok: true, failure: null, reason: null, snapshot: '2026-12-02T023001Z', checked: 200, skippedChanged: 2, mismatched: [],
      coveragePercent: 98, at: new Date(Date.now() - 3600_000).toISOString() },
    snapshots: ['2026-12-01T023000Z', '2026-12-02T023001Z'], restores: [],
    authorizedKeysLine: 'command="/usr/bin/rrsync /srv/backups/web-1",restrict ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK steward-agent@web-1',
    createdAt: '2026-12-01T10:00:00Z', createdBy: 'admin', ...extra,
  };
}
