import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../lib/http';
import { LoginPage } from './login-page';

afterEach(cleanup);

describe('LoginPage', () => {
  it('shows a clear error on wrong credentials and keeps the username', async () => {
    const http = new HttpClient(() => Promise.resolve(new Response(JSON.stringify({ error: 'wrong username or password' }),
      { status: 401, headers: { 'Content-Type': 'application/json' } })));
    render(<LoginPage http={http} onLoggedIn={() => { throw new Error('must not log in'); }} />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByTestId('login-error').textContent).toBe('Wrong username or password.'));
    expect((screen.getByLabelText('Username') as HTMLInputElement).value).toBe('admin');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });

  it('asks for a reset link and shows the same neutral answer', async () => {
    const calls: unknown[] = [];
    const http = new HttpClient((_input, init) => {
      calls.push(JSON.parse(String(init?.body)));
      return Promise.resolve(new Response(JSON.stringify({ message: 'If the account exists, a reset link is on its way.' }),
        { status: 202, headers: { 'Content-Type': 'application/json' } }));
    });
    render(<LoginPage http={http} onLoggedIn={() => { throw new Error('must not log in'); }} />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.click(screen.getByTestId('forgot-password'));
    expect((screen.getByLabelText('Username') as HTMLInputElement).value).toBe('alice');
    fireEvent.click(screen.getByTestId('send-reset-link'));
    await waitFor(() => expect(screen.getByTestId('forgot-sent').textContent).toContain('If the account exists'));
    expect(calls).toEqual([{ username: 'alice' }]);
  });
});
