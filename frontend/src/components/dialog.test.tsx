import { useState } from 'react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../lib/http';
import { ConfirmDialog, FormDialog } from './dialog';
import { installDialogPolyfill } from '../test-support';

afterEach(cleanup);

describe('ConfirmDialog', () => {
  it('keeps the failure in the dialog, and closes once the action succeeded', async () => {
    installDialogPolyfill();
    let attempt = 0;
    const onClose = vi.fn();
    render(<ConfirmDialog title="Delete the rule CPU?" message="This cannot be undone." confirmLabel="Delete rule" onClose={onClose}
      onConfirm={() => (++attempt === 1 ? Promise.reject(new ApiError(409, 'the rule is in use')) : Promise.resolve())} />);
    fireEvent.click(screen.getByTestId('confirm-button'));
    expect(screen.getByTestId('confirm-button').textContent).toBe('Working…');
    expect((await screen.findByRole('alert')).textContent).toBe('the rule is in use');
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('confirm-button'));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
  });

  it('waits until it is ready (a name typed) before it can be confirmed', () => {
    installDialogPolyfill();
    function TypeToConfirm() {
      const [typed, setTyped] = useState('');
      return (
        <ConfirmDialog title="Delete web-1?" message="Type web-1 to confirm." confirmLabel="Delete" ready={typed === 'web-1'}
          onConfirm={() => Promise.resolve()} onClose={() => {}}>
          <input aria-label="Server name" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </ConfirmDialog>
      );
    }
    render(<TypeToConfirm />);
    const confirm = screen.getByTestId('confirm-button') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Server name'), { target: { value: 'web-1' } });
    expect(confirm.disabled).toBe(false);
  });
});

describe('FormDialog', () => {
  it('shows what to fix without sending, then sends and closes', async () => {
    installDialogPolyfill();
    const send = vi.fn(() => Promise.resolve());
    const onClose = vi.fn();
    let problem: string | null = 'Choose a server.';
    render(
      <FormDialog title="Silence notifications" testId="silence-dialog" onClose={onClose} cancelTitle="Close"
        onSubmit={() => problem ?? send()} submit={{ label: 'Silence', busyLabel: 'Silencing…', title: 'Start it', testId: 'silence-confirm' }}>
        <p>fields</p>
      </FormDialog>,
    );
    fireEvent.click(screen.getByTestId('silence-confirm'));
    expect(screen.getByRole('alert').textContent).toBe('Choose a server.');
    expect(send).not.toHaveBeenCalled();
    problem = null;
    fireEvent.click(screen.getByTestId('silence-confirm'));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(send).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
