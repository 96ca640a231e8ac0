import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeNode } from '../../test-support';
import { ResetPasswordPage, resetToken } from './reset-page';

afterEach(cleanup);

describe('ResetPasswordPage', () => {
  it('reads the token from the fragment', () => {
    expect(resetToken('#token=stw_reset_abc')).toBe('stw_reset_abc');
    expect(resetToken('')).toBeNull();
    expect(resetToken('#token=')).toBeNull();
  });

  it('sends the token with the new password and says when the link is spent', async () => {
    let uses = 0;
    const fake = fakeNode((call) => {
      if (call.path !== '/api/auth/reset') return undefined;
      uses++;
      return uses === 1 ? { body: { username: 'alice' } }
        : { status: 400, body: { error: 'token: this link is invalid, already used or expired; ask for a new one', code: 'invalid' } };
    });
    render(<ResetPasswordPage http={fake.http} hash="#token=stw_reset_abc" />);
    const set = (name: string, value: string) => fireEvent.change(document.querySelector(`[name="${name}"]`)!, { target: { value } });
    set('password', 'alice new password');
    set('repeat', 'alice new password');
    fireEvent.click(screen.getByTestId('reset-submit'));
    await waitFor(() => expect(screen.getByTestId('reset-done').textContent).toContain('alice'));
    expect(fake.calls[0]?.body).toEqual({ token: 'stw_reset_abc', password: 'alice new password' });

    cleanup();
    render(<ResetPasswordPage http={fake.http} hash="#token=stw_reset_abc" />);
    set('password', 'another password');
    set('repeat', 'another password');
    fireEvent.click(screen.getByTestId('reset-submit'));
    await waitFor(() => expect(screen.getByTestId('reset-error').textContent).toContain('already used or expired'));
  });

  it('explains a link without a token', () => {
    render(<ResetPasswordPage http={fakeNode(() => undefined).http} hash="" />);
    expect(screen.getByRole('alert').textContent).toContain('no token');
    expect(screen.queryByTestId('reset-submit')).toBeNull();
  });
});
