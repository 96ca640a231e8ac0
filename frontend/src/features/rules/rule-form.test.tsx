import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertRule } from '../../lib/wire';
import { RuleForm } from './rule-form';
import { fakeNode, renderInApp } from '../../test-support';

afterEach(cleanup);

const rule: AlertRule = {
  id: 'rule-cpu', name: 'CPU busy', metric: 'cpu.percent', comparison: 'above', threshold: 90, recovery: 80, for: 'PT1H30M',
  severity: 'warning', scope: { kind: 'group', value: 'web' }, enabled: true, condition: 'cpu.percent > 90',
};

function field(name: string): HTMLInputElement {
  const element = document.querySelector(`[name="${name}"]`);
  if (element === null) throw new Error(`no field ${name}`);
  return element as HTMLInputElement;
}

const type = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });

describe('RuleForm', () => {
  it('sends the minutes as an ISO duration, and keeps everything typed when the node answers 400', async () => {
    const node = fakeNode((call) => (call.method === 'POST' && call.path === '/api/alert-rules'
      ? { status: 400, body: { error: 'recovery value 95.0 must be on the safe side of the threshold (at most 90)' } } : undefined));
    const saved = vi.fn();
    renderInApp(<RuleForm rule={null} servers={[]} onSaved={saved} onCancel={() => {}} />, node.http);
    type('name', 'Root almost full');
    type('metric', 'disk.percent{mount=/}');
    type('threshold', '90');
    type('recovery', '95');
    type('forMinutes', '5');
    fireEvent.change(field('severity'), { target: { value: 'critical' } });
    fireEvent.click(screen.getByTestId('rule-save'));

    await waitFor(() => expect(screen.getByTestId('rule-error').textContent).toContain('must be on the safe side'));
    expect(node.calls).toHaveLength(1);
    expect(node.calls[0]!.body).toEqual({
      name: 'Root almost full', metric: 'disk.percent{mount=/}', comparison: 'above', threshold: 90, recovery: 95, for: 'PT5M',
      severity: 'critical', scope: { kind: 'global', value: null }, enabled: true,
    });
    expect(saved).not.toHaveBeenCalled();
    expect(field('name').value).toBe('Root almost full');
    expect(field('metric').value).toBe('disk.percent{mount=/}');
    expect(field('recovery').value).toBe('95');
    expect(field('forMinutes').value).toBe('5');
    expect(field('severity').value).toBe('critical');
  });

  it('sends "PT0S" for zero minutes and offers the common metrics', async () => {
    const node = fakeNode((call) => (call.method === 'POST' ? { status: 201, body: { ...rule, id: 'rule-new' } } : undefined));
    const saved = vi.fn();
    renderInApp(<RuleForm rule={null} servers={[]} onSaved={saved} onCancel={() => {}} />, node.http);
    type('name', 'Offline');
    type('metric', 'server.offline');
    type('threshold', '0.5');
    type('forMinutes', '0');
    fireEvent.click(screen.getByTestId('rule-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1));
    expect(node.calls[0]!.body).toMatchObject({ for: 'PT0S', threshold: 0.5 });
    expect(node.calls[0]!.body).not.toHaveProperty('recovery');
    const options = [...document.querySelectorAll('datalist option')].map((o) => (o as HTMLOptionElement).value);
    expect(options).toEqual(expect.arrayContaining(['cpu.percent', 'disk.percent{mount=/}', 'net.rx.bytes', 'server.offline']));
  });

  it('shows an existing rule\'s duration in minutes and saves it with PUT', async () => {
    const node = fakeNode((call) => (call.method === 'PUT' ? { body: { ...rule, for: 'PT45M' } } : undefined));
    const saved = vi.fn();
    renderInApp(<RuleForm rule={rule} servers={[]} onSaved={saved} onCancel={() => {}} />, node.http);
    expect(field('forMinutes').value).toBe('90');
    expect(field('recovery').value).toBe('80');
    expect(field('scopeValue').value).toBe('web');
    type('forMinutes', '45');
    fireEvent.click(screen.getByTestId('rule-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1));
    expect(node.calls[0]!.method).toBe('PUT');
    expect(node.calls[0]!.path).toBe('/api/alert-rules/rule-cpu');
    expect(node.calls[0]!.body).toMatchObject({ for: 'PT45M', recovery: 80, scope: { kind: 'group', value: 'web' } });
  });
});
