import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsReport, ProcessInfo } from '../../lib/wire';
import { ProcessesTab } from './processes-tab';
import { fakeNode, renderInApp } from '../../test-support';

afterEach(cleanup);

const proc = (pid: number, name: string, cpuPercent: number): ProcessInfo =>
  ({ pid, name, user: 'root', cpuPercent, rssBytes: pid * 1024, memoryPercent: 0.1 });

const report = { processes: { count: 300, threadCount: 900, topByCpu: [proc(1, 'java', 50)], topByMemory: [proc(1, 'java', 50)] } } as unknown as MetricsReport;

describe('ProcessesTab', () => {
  it('asks the agent for every process on request, then sorts and filters that list', async () => {
    const node = fakeNode((call) => (call.path === '/api/servers/web-1/processes'
      ? { body: { collectedAt: new Date().toISOString(), processes: [proc(7, 'nginx', 1), proc(8, 'postgres', 9), proc(9, 'sshd', 0)] } }
      : undefined));
    renderInApp(<ProcessesTab serverId="web-1" report={report} />, node.http);
    expect(within(screen.getByTestId('process-table')).getAllByRole('row')).toHaveLength(2); // header + top 1

    fireEvent.click(screen.getByTestId('all-processes'));
    await screen.findByText('postgres');
    const names = () => within(screen.getByTestId('process-table')).getAllByRole('row').slice(1).map((r) => r.children[1]?.textContent);
    expect(names()).toEqual(['postgres', 'nginx', 'sshd']); // heaviest CPU first
    fireEvent.change(screen.getByLabelText('Filter processes'), { target: { value: 'ssh' } });
    expect(names()).toEqual(['sshd']);
    expect(node.calls.filter((c) => c.path === '/api/servers/web-1/processes')).toHaveLength(1);
  });

  it('says why when the agent cannot answer', async () => {
    const node = fakeNode((call) => (call.path === '/api/servers/web-1/processes'
      ? { status: 503, body: { error: 'the agent is not connected' } } : undefined));
    renderInApp(<ProcessesTab serverId="web-1" report={report} />, node.http);
    fireEvent.click(screen.getByTestId('all-processes'));
    expect((await screen.findByRole('alert')).textContent).toContain('the agent is not connected');
  });
});
