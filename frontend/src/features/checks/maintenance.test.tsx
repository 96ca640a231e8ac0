import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeNode, renderInApp, type Answer, type Call } from '../../test-support';
import { check } from './check-fixtures';
import { localInputToIso, minutesToIso, windowDraftOf, windowInputOf } from './maintenance-draft';
import MaintenancePage from './maintenance-page';
import type { MaintenanceWindow, MaintenanceWindowInput } from './types';

afterEach(cleanup);

const sundays: MaintenanceWindow = { id: 'mw-1', name: 'Sunday patching', active: true, checks: [], group: 'Public site',
  window: { kind: 'recurring', cron: '0 2 * * 0', timeZone: 'Europe/Berlin', duration: 'PT2H' } };
const upgrade: MaintenanceWindow = { id: 'mw-2', name: 'DB upgrade', active: false, checks: ['homepage-k3x9q2'],
  window: { kind: 'once', start: '2026-12-02T13:00:00Z', end: '2026-12-02T14:30:00Z' } };

function node(windows: MaintenanceWindow[], extra: (call: Call) => Answer | undefined = () => undefined) {
  return fakeNode((call) => {
    const answer = extra(call);
    if (answer !== undefined) return answer;
    if (call.method === 'GET' && call.path === '/api/maintenance') return { body: { windows } };
    if (call.method === 'GET' && call.path === '/api/checks') return { body: { checks: [check(), check({ id: 'api-p2q7', name: 'API', group: 'Backend' })] } };
    return undefined;
  });
}

describe('maintenance windows', () => {
  it('turns the form into what the node takes: local times as instants, minutes as an ISO duration', () => {
    const local = '2026-12-02T14:00';
    expect(localInputToIso(local)).toBe(new Date(2026, 11, 2, 14, 0).toISOString().replace('.000Z', 'Z'));
    expect(localInputToIso('')).toBeNull();
    expect([minutesToIso(120), minutesToIso(90)]).toEqual(['PT2H', 'PT90M']);

    const fresh = windowDraftOf(null, new Date(2026, 11, 2, 13, 25), 'Europe/Berlin');
    expect(fresh).toMatchObject({ kind: 'once', start: '2026-12-02T14:00', end: '2026-12-02T15:00', timeZone: 'Europe/Berlin', scope: 'all' });
    expect(windowInputOf({ ...fresh, name: 'Upgrade' })).toEqual({ input: { name: 'Upgrade', checks: [],
      window: { kind: 'once', start: localInputToIso('2026-12-02T14:00'), end: localInputToIso('2026-12-02T15:00') } } });
    expect(windowInputOf({ ...fresh, name: 'x', end: '2026-12-02T13:00' })).toEqual({ error: 'end: must be after the start' });
    expect(windowInputOf({ ...fresh, name: 'x', kind: 'recurring', cron: '0 2 * *' })).toEqual({ error: 'cron: must have five fields (minute hour day month weekday)' });
    expect(windowInputOf({ ...fresh, name: 'x', scope: 'checks' })).toEqual({ error: 'checks: choose at least one check' });

    const back = windowDraftOf(sundays);
    expect(back).toMatchObject({ kind: 'recurring', cron: '0 2 * * 0', timeZone: 'Europe/Berlin', durationMinutes: '120', scope: 'group', group: 'Public site' });
    expect(windowInputOf(back)).toEqual({ input: { name: 'Sunday patching', checks: [], group: 'Public site',
      window: { kind: 'recurring', cron: '0 2 * * 0', timeZone: 'Europe/Berlin', duration: 'PT2H' } } });
  });

  it('lists the windows: when, what they cover, and which is active now', async () => {
    renderInApp(<MaintenancePage />, node([sundays, upgrade]).http);
    await screen.findByTestId('maintenance-table');
    await waitFor(() => expect(screen.getAllByTestId('maintenance-row')[1]!.textContent).toContain('Homepage'));
    const [first, second] = screen.getAllByTestId('maintenance-row');
    expect(first!.textContent).toContain('recurring: 0 2 * * 0 (Europe/Berlin) for 2 h');
    expect(first!.textContent).toContain('group Public site');
    expect(within(first!).getByTestId('maintenance-active').textContent).toBe('active now');
    expect(second!.textContent).toContain('once: ');
    expect(within(second!).queryByTestId('maintenance-active')).toBeNull();
  });

  it('creates a recurring window over chosen checks, and shows the node\'s refusal', async () => {
    let refuse = true;
    const fake = node([], (call) => {
      if (call.method !== 'POST') return undefined;
      const body = call.body as MaintenanceWindowInput;
      return refuse ? { status: 400, body: { error: 'timeZone: unknown zone Mars/Olympus', code: 'invalid' } }
        : { status: 201, body: { ...body, id: 'mw-9', active: false } };
    });
    renderInApp(<MaintenancePage />, fake.http);
    await screen.findByTestId('maintenance-empty');
    fireEvent.click(screen.getByTestId('new-maintenance'));
    fireEvent.change(screen.getByTestId('maintenance-form-name'), { target: { value: 'Nightly' } });
    fireEvent.click(screen.getByTestId('maintenance-form-recurring'));
    fireEvent.change(screen.getByTestId('maintenance-form-cron'), { target: { value: '30 3 * * *' } });
    fireEvent.change(screen.getByTestId('maintenance-form-time-zone'), { target: { value: 'Mars/Olympus' } });
    fireEvent.change(screen.getByTestId('maintenance-form-duration'), { target: { value: '45' } });
    fireEvent.click(screen.getByTestId('maintenance-form-scope-checks'));
    fireEvent.click(await screen.findByTestId('maintenance-form-check-api-p2q7'));
    fireEvent.click(screen.getByTestId('maintenance-form-save'));
    await waitFor(() => expect(screen.getByTestId('maintenance-form-error').textContent).toBe('timeZone: unknown zone Mars/Olympus'));
    expect(screen.getByTestId('maintenance-form-time-zone').getAttribute('aria-invalid')).toBe('true');

    refuse = false;
    fireEvent.change(screen.getByTestId('maintenance-form-time-zone'), { target: { value: 'UTC' } });
    fireEvent.click(screen.getByTestId('maintenance-form-save'));
    await screen.findByTestId('maintenance-table');
    expect(fake.calls.filter((c) => c.method === 'POST').map((c) => c.body)[1]).toEqual({ name: 'Nightly', checks: ['api-p2q7'],
      window: { kind: 'recurring', cron: '30 3 * * *', timeZone: 'UTC', duration: 'PT45M' } });
    expect(screen.getByTestId('maintenance-row').textContent).toContain('API');
  });

  it('deletes a window after confirmation', async () => {
    const fake = node([upgrade], (call) => (call.method === 'DELETE' ? { body: { deleted: 'mw-2' } } : undefined));
    renderInApp(<MaintenancePage />, fake.http);
    await screen.findByTestId('maintenance-table');
    fireEvent.click(screen.getByTestId('delete-maintenance'));
    fireEvent.click(screen.getByTestId('confirm-button'));
    await screen.findByTestId('maintenance-empty');
    expect(fake.calls.find((c) => c.method === 'DELETE')?.path).toBe('/api/maintenance/mw-2');
  });
});
