import { describe, expect, it, vi } from 'vitest';
import { HttpClient } from '../../lib/http';
import { metricSeries } from './api';
import { jsonReply } from '../../test-support';

describe('server calls', () => {
  it('encodes ids and series names in URLs', async () => {
    const fetcher = vi.fn<typeof fetch>(() => jsonReply(200, { name: 'x', resolution: 'raw', from: '', to: '', points: [] }));
    await metricSeries(new HttpClient(fetcher), 'web 1', 'disk.percent{mount=/}', new Date(0), new Date(1000));
    expect(String(fetcher.mock.calls[0]![0])).toBe(
      '/api/servers/web%201/metrics?name=disk.percent%7Bmount%3D%2F%7D&from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A00%3A01.000Z');
  });
});
