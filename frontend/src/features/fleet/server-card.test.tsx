import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerSummary } from '../../lib/wire';
import { ServerCard } from './server-card';

afterEach(cleanup);

const summary: ServerSummary = {
  id: 'web-1-abc', hostname: 'web-1', displayName: 'Shop front', group: 'prod', tags: ['nginx'], notes: null,
  online: false, lastSeen: new Date().toISOString(), agentVersion: '0.1.0', registeredAt: '2026-11-01T00:00:00Z',
  osName: 'Debian GNU/Linux', addresses: ['10.0.0.5'], cpuPercent: 93.4, memoryPercent: 41.2, diskPercent: 71, load1: 2.5, uptimeSeconds: 3 * 86400 + 7200,
  criticalAlerts: 1, warningAlerts: 1,
};

describe('ServerCard', () => {
  it('shows name, status, values, alerts and links to the detail page', () => {
    render(<ServerCard server={summary} />);
    const card = screen.getByTestId('server-card');
    expect(screen.getByTestId('server-name').textContent).toBe('Shop front');
    expect(screen.getByTestId('cpu-value').textContent).toBe('93 %');
    expect(screen.getByTestId('memory-value').textContent).toBe('41 %');
    expect(card.getAttribute('href')).toBe('/servers/web-1-abc');
    expect(card.className).toContain('is-offline');
    expect(card.textContent).toContain('3 d 2 h');
    expect(screen.getByTitle(/1 critical, 1 warning/).textContent).toBe('2');
    expect(card.querySelector('.level-crit')).not.toBeNull();
  });
});
