import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../lib/wire';
import { fakeNode, renderInApp } from '../../test-support';
import UsersPage, { generatedPassword } from './users-page';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const admin: User = { username: 'admin', role: 'ADMIN', email: null, disabled: false, createdAt: '2026-12-01T10:00:00Z', passwordChangedAt: null };
const vera: User = { username: 'vera', role: 'VIEWER', email: 'vera@example.org', disabled: false, createdAt: '2026-12-02T10:00:00Z', passwordChangedAt: null };

function node(users: User[]) {
  return fakeNode((call) => {
    if (call.method === 'GET' && call.path === '/api/users') return { body: users };
    if (call.method === 'GET' && call.path.startsWith('/api/audit')) return { body: [] };
    if (call.method === 'POST' && call.path === '/api/users') {
      const body = call.body as { username: string; role: string; email: string | null };
      return { status: 201, body: { ...vera, username: body.username, email: body.email } };
    }
    if (call.method === 'PATCH' && call.path === '/api/users/vera') {
      const body = call.body as { role: string | null; disabled: boolean | null; password: string | null };
      if (body.password !== null) return { body: { ...vera, passwordChangedAt: '2026-12-03T10:00:00Z' } };
      return { body: { ...vera, role: body.role === 'admin' ? 'ADMIN' : vera.role, disabled: body.disabled ?? vera.disabled } };
    }
    if (call.method === 'DELETE' && call.path === '/api/users/vera') return { body: { deleted: 'vera' } };
    return undefined;
  });
}

describe('UsersPage', () => {
  it('lists users, and offers no disable or delete for oneself', async () => {
    renderInApp(<UsersPage />, node([admin, vera]).http);
    await waitFor(() => expect(screen.getByTestId('user-vera')).toBeTruthy());
    expect(screen.queryByTestId('delete-admin')).toBeNull();
    expect(screen.queryByTestId('toggle-admin')).toBeNull();
    expect(screen.getByTestId('delete-vera')).toBeTruthy();
  });

  it('creates a user with a lower-case role and no empty email', async () => {
    const fake = node([admin]);
    renderInApp(<UsersPage />, fake.http);
    await waitFor(() => expect(screen.getByTestId('user-admin')).toBeTruthy());
    const form = screen.getByTestId('new-user-form');
    fireEvent.change(form.querySelector('[name="username"]')!, { target: { value: ' olga ' } });
    fireEvent.change(form.querySelector('[name="password"]')!, { target: { value: 'short' } });
    fireEvent.click(screen.getByTestId('create-user'));
    expect(screen.getByTestId('new-user-error').textContent).toContain('8 characters');
    fireEvent.change(form.querySelector('[name="password"]')!, { target: { value: 'olga password' } });
    fireEvent.click(screen.getByTestId('create-user'));
    await waitFor(() => expect(screen.getByTestId('user-olga')).toBeTruthy());
    expect(fake.calls.find((call) => call.method === 'POST')?.body)
      .toEqual({ username: 'olga', password: 'olga password', role: 'viewer', email: null });
  });

  it('changes a role, disables, and shows a reset password once', async () => {
    const fake = node([admin, vera]);
    renderInApp(<UsersPage />, fake.http);
    await waitFor(() => expect(screen.getByTestId('user-vera')).toBeTruthy());
    fireEvent.change(screen.getByTestId('role-vera'), { target: { value: 'ADMIN' } });
    await waitFor(() => expect((screen.getByTestId('role-vera') as HTMLSelectElement).value).toBe('ADMIN'));
    // The select shows the choice before its request is sent: wait for the request itself.
    await waitFor(() => expect(fake.calls.find((call) => call.method === 'PATCH')?.body)
      .toEqual({ role: 'admin', disabled: null, email: null, password: null }));

    fireEvent.click(screen.getByTestId('toggle-vera'));
    await waitFor(() => expect(screen.getByTestId('toggle-vera').textContent).toBe('Enable'));

    fireEvent.click(screen.getByTestId('reset-vera'));
    await waitFor(() => expect(screen.getByTestId('reset-password-shown')).toBeTruthy());
    const sent = fake.calls.filter((call) => call.method === 'PATCH').at(-1)?.body as { password: string };
    expect(sent.password).toHaveLength(16);
    expect(screen.getByTestId('reset-password-shown').textContent).toContain(sent.password);
  });

  it('deletes after confirming', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderInApp(<UsersPage />, node([admin, vera]).http);
    await waitFor(() => expect(screen.getByTestId('user-vera')).toBeTruthy());
    fireEvent.click(screen.getByTestId('delete-vera'));
    await waitFor(() => expect(screen.queryByTestId('user-vera')).toBeNull());
  });

  it('generates passwords from an unambiguous alphabet', () => {
    expect(generatedPassword(() => 0)).toBe('aaaaaaaaaaaaaaaa');
    expect(generatedPassword()).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
  });
});
