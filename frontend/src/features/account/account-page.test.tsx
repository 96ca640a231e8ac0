import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiToken } from '../../lib/wire';
import { fakeNode, renderInApp } from '../../test-support';
import AccountPage from './account-page';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const used: ApiToken = { id: 'tok-1', username: 'admin', name: 'grafana', scope: 'read-only', createdAt: '2026-12-01T10:00:00Z',
  lastUsedAt: '2026-12-02T10:00:00Z', lastUsedFrom: '10.0.0.5' };

describe('AccountPage', () => {
  it('shows a new token secret once and lists it with its last use', async () => {
    const fake = fakeNode((call) => {
      if (call.method === 'GET' && call.path === '/api/tokens') return { body: [used] };
      if (call.method === 'POST' && call.path === '/api/tokens') {
        return { status: 201, body: { token: { ...used, id: 'tok-2', name: 'ansible', scope: 'admin', lastUsedAt: null, lastUsedFrom: null }, secret: 'stw_token_SECRET' } };
      }
      return undefined;
    });
    renderInApp(<AccountPage />, fake.http);
    await waitFor(() => expect(screen.getByTestId('token-tok-1').textContent).toContain('from 10.0.0.5'));
    fireEvent.change(document.querySelector('[name="token-name"]')!, { target: { value: 'ansible' } });
    fireEvent.change(document.querySelector('[name="scope"]')!, { target: { value: 'admin' } });
    fireEvent.click(screen.getByTestId('create-token'));
    await waitFor(() => expect(screen.getByTestId('token-secret').textContent).toContain('stw_token_SECRET'));
    expect(fake.calls.at(-1)?.body).toEqual({ name: 'ansible', scope: 'admin' });
    expect(screen.getByTestId('token-tok-2').textContent).toContain('never');
    fireEvent.click(screen.getByText('Done'));
    expect(screen.queryByText(/stw_token_SECRET/)).toBeNull();
  });

  it('offers a viewer read-only tokens only', async () => {
    renderInApp(<AccountPage />, fakeNode((call) => (call.path === '/api/tokens' ? { body: [] } : undefined)).http, 'VIEWER');
    await waitFor(() => expect(screen.getByText('No API tokens.')).toBeTruthy());
    const options = Array.from(document.querySelectorAll('[name="scope"] option')).map((option) => option.textContent);
    expect(options).toEqual(['read-only']);
  });

  it('revokes a token after confirming', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const fake = fakeNode((call) => {
      if (call.method === 'GET') return { body: [used] };
      if (call.method === 'DELETE' && call.path === '/api/tokens/tok-1') return { body: { deleted: 'tok-1' } };
      return undefined;
    });
    renderInApp(<AccountPage />, fake.http);
    await waitFor(() => expect(screen.getByTestId('revoke-tok-1')).toBeTruthy());
    fireEvent.click(screen.getByTestId('revoke-tok-1'));
    await waitFor(() => expect(screen.queryByTestId('token-tok-1')).toBeNull());
  });

  it('changes the password only when the new one is long enough and repeated', async () => {
    const fake = fakeNode((call) => {
      if (call.path === '/api/tokens') return { body: [] };
      if (call.path === '/api/auth/password') {
        const body = call.body as { current: string };
        return body.current === 'right one'
          ? { body: { changed: true } }
          : { status: 400, body: { error: 'current: the current password is wrong', code: 'invalid' } };
      }
      return undefined;
    });
    renderInApp(<AccountPage />, fake.http);
    const set = (name: string, value: string) => fireEvent.change(document.querySelector(`[name="${name}"]`)!, { target: { value } });
    set('current', 'wrong one');
    set('new', 'a new password');
    set('repeat', 'a new passwort');
    fireEvent.click(screen.getByTestId('change-password'));
    expect(screen.getByTestId('password-error').textContent).toBe('The new passwords differ.');
    set('repeat', 'a new password');
    fireEvent.click(screen.getByTestId('change-password'));
    await waitFor(() => expect(screen.getByTestId('password-error').textContent).toContain('current password is wrong'));
    set('current', 'right one');
    set('new', 'a new password');
    set('repeat', 'a new password');
    fireEvent.click(screen.getByTestId('change-password'));
    await waitFor(() => expect(screen.getByTestId('password-changed')).toBeTruthy());
    expect(fake.calls.at(-1)?.body).toEqual({ current: 'right one', new: 'a new password' });
  });
});
