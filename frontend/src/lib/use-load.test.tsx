import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { removeById, upsertById, useLoad, type Loaded } from './use-load';
import { LoadStatus } from '../components/feedback';

afterEach(cleanup);

interface Versioned { version: number }

/** Renders what the hook holds and hands the hook out to the test. */
function Probe({ load, replaces, onRender }: {
  load: () => Promise<Versioned>; replaces?: (next: Versioned, current: Versioned | null) => boolean; onRender: (loaded: Loaded<Versioned>) => void;
}) {
  const loaded = useLoad(load, replaces);
  onRender(loaded);
  return (
    <>
      <LoadStatus loaded={loaded} failure="Could not load" lines={2} />
      {loaded.data !== null && <span data-testid="version">{loaded.data.version}</span>}
    </>
  );
}

describe('useLoad', () => {
  it('shows a skeleton, then the answer; a failed reload keeps the answer under the error panel', async () => {
    let fail = false;
    const load = () => (fail ? Promise.reject(new Error('database unavailable')) : Promise.resolve({ version: 1 }));
    let loaded: Loaded<Versioned> | null = null;
    render(<Probe load={load} onRender={(l) => { loaded = l; }} />);
    expect(screen.getByLabelText('Loading')).toBeTruthy();
    expect((await screen.findByTestId('version')).textContent).toBe('1');
    fail = true;
    act(() => loaded!.reload());
    expect((await screen.findByRole('alert')).textContent).toContain('database unavailable');
    expect(screen.getByTestId('version').textContent).toBe('1');
  });

  it('lets a live value replace the answer only when `replaces` says so, and clears the error', async () => {
    let loaded: Loaded<Versioned> | null = null;
    render(<Probe load={() => Promise.reject(new Error('slow database'))} replaces={(next, current) => current === null || next.version >= current.version}
      onRender={(l) => { loaded = l; }} />);
    await screen.findByRole('alert');
    act(() => loaded!.accept({ version: 3 }));
    expect(screen.getByTestId('version').textContent).toBe('3');
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => loaded!.accept({ version: 2 }));
    await waitFor(() => expect(screen.getByTestId('version').textContent).toBe('3'));
  });
});

describe('list updates', () => {
  it('replaces or appends by id, and removes by id', () => {
    const list = [{ id: 'a', n: 1 }, { id: 'b', n: 2 }];
    expect(upsertById(list, { id: 'b', n: 3 })).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 3 }]);
    expect(upsertById(list, { id: 'c', n: 4 })).toHaveLength(3);
    expect(upsertById(null, { id: 'c', n: 4 })).toEqual([{ id: 'c', n: 4 }]);
    expect(removeById(list, 'a')).toEqual([{ id: 'b', n: 2 }]);
  });
});
