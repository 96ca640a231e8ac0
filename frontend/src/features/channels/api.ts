// Notification channels, test messages, and the deliveries (the outbox) with their attempts.
import { apiPath, type HttpClient } from '../../lib/http';
import type { Channel, ChannelInput, ChannelTestAnswer, Deleted, Delivery, DeliveryAttempt } from '../../lib/wire';

export function listChannels(http: HttpClient): Promise<Channel[]> {
  return http.get('/api/channels');
}

export function createChannel(http: HttpClient, channel: ChannelInput): Promise<Channel> {
  return http.post('/api/channels', channel);
}

export function updateChannel(http: HttpClient, id: string, channel: ChannelInput): Promise<Channel> {
  return http.put(apiPath`/api/channels/${id}`, channel);
}

export function deleteChannel(http: HttpClient, id: string): Promise<Deleted> {
  return http.delete(apiPath`/api/channels/${id}`);
}

/** Sends a test message now; a channel that fails answers 502 with the reason (an ApiError). */
export function testChannel(http: HttpClient, id: string): Promise<ChannelTestAnswer> {
  return http.post(apiPath`/api/channels/${id}/test`);
}

/** The newest deliveries, of one channel or (null) of all. */
export function listDeliveries(http: HttpClient, channelId: string | null = null, limit = 100): Promise<Delivery[]> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (channelId !== null) params.set('channel', channelId);
  return http.get(`/api/notifications?${params.toString()}`);
}

export function deliveryAttempts(http: HttpClient, id: number): Promise<DeliveryAttempt[]> {
  return http.get(apiPath`/api/notifications/${id}/attempts`);
}
