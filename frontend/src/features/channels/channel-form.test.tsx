import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Channel } from '../../lib/wire';
import { ChannelForm } from './channel-form';
import { fakeNode, renderInApp } from '../../test-support';

afterEach(cleanup);

const email: Channel = {
  id: 'ch-1', name: 'On-call', type: 'email', enabled: true, severities: ['critical'], groups: ['web'], tags: [],
  remindEveryHours: 4,
  settings: { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'steward', from: 'steward@example.com', to: ['ops@example.com', 'me@example.com'] },
  secretsSet: ['password'], secretsCleared: [], redacted: false,
  health: { lastSuccessAt: null, lastFailureAt: null, lastError: null, consecutiveFailures: 0, failing: false },
  createdAt: '2026-11-23T10:00:00Z', updatedAt: '2026-11-23T10:00:00Z',
};

const named = (name: string) => document.querySelector(`[name="${name}"]`) as HTMLInputElement | null;

describe('ChannelForm', () => {
  it('shows the fields of the chosen type', () => {
    renderInApp(<ChannelForm channel={null} onSaved={() => {}} onCancel={() => {}} />, fakeNode(() => undefined).http);
    expect(named('host')).not.toBeNull();
    expect(named('password')?.type).toBe('password');
    fireEvent.change(screen.getByTestId('channel-type'), { target: { value: 'telegram' } });
    expect(named('host')).toBeNull();
    expect(named('chatId')).not.toBeNull();
    expect(named('botToken')?.type).toBe('password');
    fireEvent.change(screen.getByTestId('channel-type'), { target: { value: 'slack' } });
    expect(named('chatId')).toBeNull();
    expect(named('webhookUrl')?.type).toBe('password');
    fireEvent.change(screen.getByTestId('channel-type'), { target: { value: 'webhook' } });
    expect(named('url')).not.toBeNull();
    expect(named('hmacSecret')).not.toBeNull();
    expect(named('webhookUrl')).toBeNull();
  });

  it('keeps a stored secret by leaving it out of the PUT, and sends a typed one', async () => {
    const node = fakeNode((call) => (call.method === 'PUT' ? { body: email } : undefined));
    const saved = vi.fn();
    renderInApp(<ChannelForm channel={email} onSaved={saved} onCancel={() => {}} />, node.http);
    const password = screen.getByTestId('secret-password') as HTMLInputElement;
    expect(password.value).toBe('');
    expect(password.placeholder).toBe('stored — leave empty to keep');
    expect(named('to')?.value).toBe('ops@example.com, me@example.com');

    fireEvent.click(screen.getByTestId('channel-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1));
    expect(node.calls[0]).toMatchObject({ method: 'PUT', path: '/api/channels/ch-1' });
    expect(node.calls[0]!.body).toEqual({
      name: 'On-call', type: 'email', enabled: true, severities: ['critical'], groups: ['web'], tags: [], remindEveryHours: 4,
      settings: { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'steward', from: 'steward@example.com',
        to: ['ops@example.com', 'me@example.com'] },
      secrets: {},
    });

    fireEvent.change(password, { target: { value: 'n3w-secret' } });
    fireEvent.click(screen.getByTestId('channel-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(2));
    expect((node.calls[1]!.body as { secrets: unknown }).secrets).toEqual({ password: 'n3w-secret' });
  });

  it('creates a Telegram channel with only its own settings, and shows a 400 keeping the input', async () => {
    const node = fakeNode((call) => (call.method === 'POST' && call.path === '/api/channels'
      ? { status: 400, body: { error: 'chatId: not a Telegram chat id' } } : undefined));
    renderInApp(<ChannelForm channel={null} onSaved={() => {}} onCancel={() => {}} />, node.http);
    fireEvent.change(named('name')!, { target: { value: 'Phones' } });
    fireEvent.change(screen.getByTestId('channel-type'), { target: { value: 'telegram' } });
    fireEvent.change(named('chatId')!, { target: { value: 'abc' } });
    fireEvent.change(named('botToken')!, { target: { value: '123:xyz' } });
    fireEvent.click(screen.getByTestId('channel-save'));
    await waitFor(() => expect(screen.getByTestId('channel-error').textContent).toBe('chatId: not a Telegram chat id'));
    expect(node.calls[0]!.body).toMatchObject({ type: 'telegram', settings: { chatId: 'abc' }, secrets: { botToken: '123:xyz' } });
    expect((node.calls[0]!.body as { settings: object }).settings).not.toHaveProperty('host');
    expect(named('chatId')!.value).toBe('abc');
    expect(named('botToken')!.value).toBe('123:xyz');
  });

  it('asks for the stored secrets again once the destination changes', async () => {
    const node = fakeNode((call) => (call.method === 'PUT' ? { body: { ...email, secretsSet: [], secretsCleared: ['password'] } } : undefined));
    const saved = vi.fn();
    renderInApp(<ChannelForm channel={email} onSaved={saved} onCancel={() => {}} />, node.http);
    expect(screen.queryByTestId('secrets-reenter')).toBeNull();
    fireEvent.change(named('username')!, { target: { value: 'other' } });
    expect(screen.queryByTestId('secrets-reenter')).toBeNull(); // not a destination: the password stays

    fireEvent.change(named('host')!, { target: { value: 'smtp.elsewhere.example' } });
    expect(screen.getByTestId('secrets-reenter').textContent).toContain('host');
    expect(screen.getByTestId('secrets-reenter').textContent).toContain('password will be dropped unless entered again');
    expect((screen.getByTestId('secret-password') as HTMLInputElement).placeholder).toBe('');

    fireEvent.change(named('host')!, { target: { value: 'smtp.example.com' } });
    expect(screen.queryByTestId('secrets-reenter')).toBeNull();
  });

  it('sends the plain-text login allowance only when ticked, as a boolean', async () => {
    const node = fakeNode((call) => (call.method === 'PUT' ? { body: email } : undefined));
    const saved = vi.fn();
    renderInApp(<ChannelForm channel={email} onSaved={saved} onCancel={() => {}} />, node.http);
    fireEvent.click(named('allowPlainAuth')!);
    fireEvent.click(screen.getByTestId('channel-save'));
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1));
    expect((node.calls[0]!.body as { settings: Record<string, unknown> }).settings.allowPlainAuth).toBe(true);
  });
});
