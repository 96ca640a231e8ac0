import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/http';
import generated from '../../lib/wire.generated.ts?raw';
import {
  agentFailureTitle, destinationAllowed, destinationText, FAILURES, formatIn, hostKeyState, isNewerList, isOutsideSourcesRefusal, newestFirst,
  pathCrumbs, pathProblem, progressText, restoredTo, RESTORE_STATES, RUN_STATES, runNowBlocker, scheduleText, snapshotTime, sourcesNotAllowed,
  STATUSES, statsText, TRIGGERS, verificationText, within, withProgress,
} from './backups';
import { RunStateBadge, StatusBadge } from './backup-parts';
import { hostKey, job, progress, restore, run } from './backup-fixtures';

afterEach(cleanup);

/** The members of a string union as the generated file declares it. */
function members(union: string): string[] {
  const declaration = new RegExp(`^export type ${union} = ([^;]*);$`, 'm').exec(generated);
  expect(declaration, `${union} is declared in wire.generated.ts`).not.toBeNull();
  return [...declaration![1]!.matchAll(/'([^']*)'/g)].map((match) => match[1]!).sort();
}

describe('the words for every value the node sends', () => {
  it.each([
    ['BackupsBodyStatus', STATUSES],
    ['BackupsBodyRunStateName', RUN_STATES],
    ['BackupsBodyRestoreStateName', RESTORE_STATES],
    ['BackupsBodyTriggerName', TRIGGERS],
    ['BackupFailure', FAILURES],
  ])('cover %s exactly', (union, words) => {
    expect(Object.keys(words).sort()).toEqual(members(union));
  });

  it('colour the status badge green, amber, red, blue and grey', () => {
    const tones = { ok: 'bk-ok', late: 'bk-warn', failed: 'bk-bad', running: 'bk-busy', 'never-run': 'bk-idle' };
    for (const status of members('BackupsBodyStatus')) {
      cleanup();
      render(<StatusBadge status={status} />);
      const badge = screen.getByTestId('backup-status');
      expect(badge.className, status).toContain(tones[status as keyof typeof tones]);
      expect(badge.getAttribute('data-state')).toBe(status);
      expect(badge.textContent).toBe(STATUSES[status as keyof typeof STATUSES].label);
    }
    cleanup();
    render(<StatusBadge status="paused" />);
    expect(screen.getByTestId('backup-status').textContent).toBe('paused');
  });

  it('say each run state as its word', () => {
    for (const state of members('BackupsBodyRunStateName')) {
      cleanup();
      render(<RunStateBadge state={state as keyof typeof RUN_STATES} />);
      expect(screen.getByTestId('backup-run-state').textContent).toBe(state);
    }
  });
});

describe('backup texts', () => {
  it('says schedules in words', () => {
    expect(scheduleText({ cron: '30 2 * * *', timeZone: 'Europe/Berlin', everyHours: null })).toBe('daily at 02:30, Europe/Berlin (30 2 * * *)');
    expect(scheduleText({ cron: '0 8-18 * * 1-5', timeZone: null, everyHours: null })).toBe('cron 0 8-18 * * 1-5, UTC');
    expect(scheduleText({ cron: null, timeZone: null, everyHours: 6 })).toBe('every 6 h');
    expect(scheduleText({ cron: null, timeZone: null, everyHours: 1 })).toBe('every hour');
  });

  it('says destinations, times to come, run statistics and progress', () => {
    expect(destinationText({ host: 'nas.lan', port: 22, user: 'backup', path: '/b' })).toBe('backup@nas.lan:/b');
    expect(destinationText({ host: 'nas.lan', port: 2222, user: 'backup', path: '/b' })).toBe('backup@nas.lan:2222:/b');
    expect(destinationText({ host: '2001:db8::1', port: 22, user: 'b', path: '/b' })).toBe('b@[2001:db8::1]:/b');
    const now = Date.parse('2026-12-02T10:00:00Z');
    expect(formatIn('2026-12-02T12:05:00Z', now)).toBe('in 2 h 5 min');
    expect(formatIn('2026-12-02T09:59:00Z', now)).toBe('due now');
    expect(formatIn(null, now)).toBe('—');
    expect(statsText(run().stats!)).toBe('1,204 files, 2.30 GiB (12 changed, 3.10 MiB sent) in 41 s');
    expect(progressText(progress())).toEqual({ percent: 42, label: 'Backing up — transferring: 42 %',
      detail: '1.20 GiB · 25.0 MiB/s · 1 min left · 120 of 1,204 files' });
    expect(progressText(progress({ operation: 'restore', percent: 140, etaSeconds: null, filesTotal: 0, filesDone: 3, phase: '' })))
      .toMatchObject({ percent: 100, label: 'Restoring: 100 %', detail: '1.20 GiB · 25.0 MiB/s · 3 files' });
  });

  it('says where the host key stands', () => {
    expect(hostKeyState(null)).toBe('pending');
    expect(hostKeyState(hostKey())).toBe('trusted');
    expect(hostKeyState(hostKey({ trusted: false, trustedFingerprint: null }))).toBe('untrusted');
    expect(hostKeyState(hostKey({ trusted: false, changed: true }))).toBe('changed');
    expect(hostKeyState(hostKey({ fingerprint: null, type: null, trusted: false, trustedFingerprint: null, error: 'connection refused' }))).toBe('error');
  });

  it('says why "Run now" cannot start, or nothing', () => {
    expect(runNowBlocker(job(), true)).toBeNull();
    expect(runNowBlocker(job(), false)).toContain('not connected');
    expect(runNowBlocker(job({ status: 'running', lastRun: run({ state: 'running', finishedAt: null }) }), true)).toContain('already in progress');
    expect(runNowBlocker(job({ restores: [restore()] }), true)).toContain('restore');
    expect(runNowBlocker(job({ hostKey: hostKey({ trusted: false, trustedFingerprint: null }) }), true)).toContain('Trust');
    expect(runNowBlocker(job({ hostKey: hostKey({ trusted: false, changed: true }) }), true)).toContain('changed');
    expect(runNowBlocker(job({ hostKey: null }), true)).toContain('not fetched');
  });

  it('says how the last test restore went', () => {
    expect(verificationText(job())).toBe('passed: 200 files checked, 98 % covered');
    expect(verificationText(job({ verification: null }))).toBe('no test restore yet');
    expect(verificationText(job({ verification: null, verifyEveryHours: 0 }))).toBe('test restores off');
    expect(verificationText(job({ verification: { ...job().verification!, ok: false, mismatched: ['/a', '/b'] } }))).toBe('FAILED: 2 files differ');
    expect(verificationText(job({ verification: { ...job().verification!, ok: false, failure: 'unreachable', reason: null } })))
      .toBe(`FAILED: ${FAILURES.unreachable}`);
  });

  it('titles the agent\'s refusals by what they mean', () => {
    expect(agentFailureTitle(new ApiError(503, 'x', { code: 'not-connected' }), 'Could not list /')).toBe('Could not list / — the agent is not connected');
    expect(agentFailureTitle(new ApiError(409, 'x', { code: 'conflict' }), 'Could not list /')).toBe('Could not list / — busy or not ready');
    expect(agentFailureTitle(new ApiError(500, 'x'), 'Could not list /')).toBe('Could not list /');
  });
});

describe('snapshots and paths', () => {
  it('sorts snapshot names newest first and reads their times', () => {
    expect(newestFirst(['2026-12-01T023000Z', '2026-12-03T023000Z', '2026-12-02T023000Z']))
      .toEqual(['2026-12-03T023000Z', '2026-12-02T023000Z', '2026-12-01T023000Z']);
    expect(snapshotTime('2026-12-02T083000Z')).toBe('2026-12-02T08:30:00Z');
    expect(snapshotTime('latest')).toBeNull();
  });

  it('checks paths as the node does, and tells inside from outside by whole segments', () => {
    expect(pathProblem('/tmp/r')).toBeNull();
    expect(pathProblem('tmp/r')).toContain('not an absolute path');
    expect(pathProblem('/srv/../etc')).toContain("'.' or '..'");
    expect(pathProblem('')).toContain('absolute path');
    expect(within('/srv/www/a', '/srv/www')).toBe(true);
    expect(within('/srv/www', '/srv/www/')).toBe(true);
    expect(within('/srv/www2', '/srv/www')).toBe(false);
    expect(within('/anything', '/')).toBe(true);
  });

  it('builds breadcrumbs from / and the place a restore writes to', () => {
    expect(pathCrumbs('/')).toEqual([{ label: '/', path: '/' }]);
    expect(pathCrumbs('/srv/www/')).toEqual([{ label: '/', path: '/' }, { label: 'srv', path: '/srv' }, { label: 'www', path: '/srv/www' }]);
    expect(restoredTo('/srv/www/a.html', null)).toBe('/srv/www/a.html');
    expect(restoredTo('/srv/www/a.html', '/tmp/r/')).toBe('/tmp/r/srv/www/a.html');
  });

  it('recognises the node\'s refusal of a target outside the sources', () => {
    expect(isOutsideSourcesRefusal(new ApiError(400, "target: /tmp/r is outside the job's sources [/srv/www]; send \"allowOutsideSources\": true to restore there",
      { code: 'invalid' }))).toBe(true);
    expect(isOutsideSourcesRefusal(new ApiError(400, 'path: not absolute', { code: 'invalid' }))).toBe(false);
  });

  it('reads the agent\'s allow-lists as the node does', () => {
    expect(sourcesNotAllowed(['/srv/www', '/home/x', '/srv'], ['/srv/www'])).toEqual(['/home/x', '/srv']);
    expect(destinationAllowed('NAS.lan', 22, ['nas.lan'])).toBe(true);
    expect(destinationAllowed('nas.lan', 2222, ['nas.lan:22'])).toBe(false);
    expect(destinationAllowed('nas.lan', 2222, ['nas.lan:2222'])).toBe(true);
    expect(destinationAllowed('2001:db8::1', 22, ['[2001:db8::1]'])).toBe(true);
  });
});

describe('the live job list', () => {
  it('moves a running job\'s bar, and never brings a finished one back', () => {
    const running = job({ status: 'running', lastRun: run({ state: 'running', finishedAt: null, stats: null }) });
    const other = job({ id: 'db-x1', name: 'db' });
    const moved = withProgress([running, other], 'www-k3x9', progress({ percent: 50 }));
    expect(moved[0]!.progress?.percent).toBe(50);
    expect(moved[1]).toBe(other);
    const finished = job();
    expect(withProgress([finished], 'www-k3x9', progress())[0]!.progress).toBeNull();
    expect(withProgress([finished], 'www-k3x9', progress({ operation: 'verify' }))[0]!.progress?.operation).toBe('verify');
    expect(withProgress([job({ restores: [restore()] })], 'www-k3x9', progress({ operation: 'restore' }))[0]!.progress?.operation).toBe('restore');
  });

  it('lets a GET answer replace only what no later frame replaced', () => {
    expect(isNewerList({ jobs: [], frame: 0 }, null)).toBe(true);
    expect(isNewerList({ jobs: [], frame: 2 }, { jobs: [], frame: 2 })).toBe(true);
    expect(isNewerList({ jobs: [], frame: 1 }, { jobs: [], frame: 2 })).toBe(false);
  });
});
