import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/http';
import type { RecoveryState, ServiceRecovery } from '../../lib/wire';
import { failureResult, isNewer, recoveryText, recoveryTooltip, resultText, sinceText } from './services';

const NOW = Date.parse('2026-11-29T10:00:00Z');
const recovery = (extra: Partial<ServiceRecovery>): ServiceRecovery =>
  ({ state: 'idle', attempts: 0, nextAttemptAt: null, lastResult: null, ...extra });

describe('service texts', () => {
  it('says what the recovery is doing, counting down to the next attempt', () => {
    expect(recoveryText(recovery({}), NOW)).toBeNull();
    expect(recoveryText(recovery({ state: 'restarting', attempts: 2, nextAttemptAt: '2026-11-29T10:00:25Z' }), NOW))
      .toBe('restarting — attempt 2, next in 25 s');
    expect(recoveryText(recovery({ state: 'restarting', attempts: 2, nextAttemptAt: '2026-11-29T10:00:25Z' }), NOW + 200))
      .toBe('restarting — attempt 2, next in 25 s');
    expect(recoveryText(recovery({ state: 'restarting', attempts: 3, nextAttemptAt: '2026-11-29T09:59:59Z' }), NOW))
      .toBe('restarting — attempt 3, next due now');
    expect(recoveryText(recovery({ state: 'restarting', attempts: 1 }), NOW)).toBe('restarting — attempt 1');
    expect(recoveryText(recovery({ state: 'restarting', attempts: 0, nextAttemptAt: '2026-11-29T10:01:00Z' }), NOW))
      .toBe('restarting — next in 1 min');
    expect(recoveryText(recovery({ state: 'held' as ServiceRecovery['state'] }), NOW)).toBe('held');
    expect(recoveryText(recovery({ state: 'gave-up', attempts: 5 }), NOW)).toBe('gave up');
    expect(recoveryText(recovery({ state: 'flapping' }), NOW)).toBe('flapping');
  });

  it('says how long a service has been up or down', () => {
    expect(sinceText({ status: 'running', since: '2026-11-29T07:00:00Z' }, NOW)).toBe('up 3 h');
    expect(sinceText({ status: 'down', since: '2026-11-29T09:55:00Z' }, NOW)).toBe('down for 5 min');
    expect(sinceText({ status: 'stopped', since: null }, NOW)).toBe('—');
  });
});

describe('held and unknown recovery states', () => {
  it('says a held service was stopped by a person, and shows a state it does not know as the node words it', () => {
    const held = recovery({ state: 'held', lastResult: 'stopped by alice' });
    expect(recoveryText(held, NOW)).toBe('held');
    expect(recoveryTooltip(held)).toBe('Stopped by a person through Steward: it is left down, not restarted, until it runs again. Last result: stopped by alice.');
    const newer = recovery({ state: 'paused' as RecoveryState });
    expect(recoveryText(newer, NOW)).toBe('paused');
    expect(recoveryTooltip(newer)).toBe('paused.');
  });
});

describe('failureResult', () => {
  it('tells refused, failed, not connected and timed out apart by the node\'s code', () => {
    expect(failureResult(new ApiError(409, 'restart is not allowed here', { code: 'refused' })))
      .toEqual({ outcome: 'refused', message: 'restart is not allowed here' });
    expect(failureResult(new ApiError(502, 'start command failed: exit 1', { code: 'upstream-failed' })).outcome).toBe('failed');
    expect(failureResult(new ApiError(503, 'the agent is not connected', { code: 'not-connected' })).outcome).toBe('not-connected');
    expect(failureResult(new ApiError(504, 'no answer from the agent within 30 s', { code: 'timed-out' })).outcome).toBe('timed-out');
    // The same statuses with other codes say nothing about the agent.
    expect(failureResult(new ApiError(409, 'a name already taken', { code: 'conflict' })).outcome).toBe('error');
    expect(failureResult(new ApiError(503, 'timed out; try again', { code: 'unavailable' })).outcome).toBe('error');
    expect(failureResult(new ApiError(403, 'admins only', { code: 'forbidden' })).outcome).toBe('error');
  });

  it('goes by the status when the answer has no code (a proxy\'s)', () => {
    expect(failureResult(new ApiError(409, 'nginx is not in this agent\'s service list')))
      .toEqual({ outcome: 'refused', message: 'nginx is not in this agent\'s service list' });
    expect(failureResult(new ApiError(502, 'start command failed: exit 1')).outcome).toBe('failed');
    expect(failureResult(new ApiError(503, 'the agent is not connected')).outcome).toBe('not-connected');
    expect(failureResult(new ApiError(504, 'no answer from the agent within 30 s')).outcome).toBe('timed-out');
    expect(failureResult(new ApiError(403, 'admins only')).outcome).toBe('error');
    expect(failureResult(new ApiError(0, 'The Steward node cannot be reached.')).outcome).toBe('error');
    expect(resultText(failureResult(new ApiError(504, 'no answer')))).toBe('Timed out: no answer');
  });
});

describe('isNewer', () => {
  const at = (checkedAt: string | null) => ({ checkedAt, services: [] });
  it('never lets an older answer replace a newer one', () => {
    expect(isNewer(at('2026-11-29T10:00:00Z'), null)).toBe(true);
    expect(isNewer(at('2026-11-29T10:00:05Z'), at('2026-11-29T10:00:00Z'))).toBe(true);
    expect(isNewer(at('2026-11-29T10:00:00Z'), at('2026-11-29T10:00:00Z'))).toBe(true);
    expect(isNewer(at('2026-11-29T09:59:55Z'), at('2026-11-29T10:00:00Z'))).toBe(false);
    expect(isNewer(at(null), at('2026-11-29T10:00:00Z'))).toBe(false);
    expect(isNewer(at('2026-11-29T10:00:00Z'), at(null))).toBe(true);
  });
});
