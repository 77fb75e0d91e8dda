import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';
import { channelScope } from '../notifications/scope';
import { createChannel, deleteChannel, getChannel, listChannels, sendTest } from '../notifications/service';
import type { Runtime } from '../runtime';
import type { ApiRoute } from './auth-routes';
import { readJsonBody } from './read-body';
import { type Authed, sendJson } from './rest-helpers';

const MAX_CHANNEL_BODY = 16 * 1024;

/**
 * REST for scripts and integrations: notification channels, token-authenticated like the quotes API
 * (analyst or higher, counted against the token's rate limit). Bodies are validated whole: 400 names the field.
 */
export function notificationRoutes(
  rt: Runtime,
  auth: (req: IncomingMessage, role: 'analyst') => Promise<Authed>,
  ipOf: (req: IncomingMessage) => string,
): ApiRoute[] {
  const scopeOf = async (req: IncomingMessage) => channelScope(await auth(req, 'analyst'), ipOf(req));
  const base = /^\/api\/v1\/notification-channels\/?$/;
  const one = /^\/api\/v1\/notification-channels\/([^/]+)\/?$/;
  return [
    {
      method: 'POST',
      pattern: base,
      name: 'notification-channels.create',
      run: async (req, res) => {
        const scope = await scopeOf(req);
        const body = await readJsonBody(req, res, MAX_CHANNEL_BODY);
        const ch = await createChannel(rt.notifications, scope, body);
        sendJson(res, 201, ch);
      },
    },
    {
      method: 'GET',
      pattern: base,
      name: 'notification-channels.list',
      run: async (req, res) => {
        sendJson(res, 200, { channels: await listChannels(rt.db, await scopeOf(req)) });
      },
    },
    {
      method: 'GET',
      pattern: one,
      name: 'notification-channels.get',
      run: async (req, res, m) => {
        const id = decodeURIComponent(m[1]!);
        const ch = await getChannel(rt.db, await scopeOf(req), id);
        if (!ch) throw new AppError('NOT_FOUND', `no notification channel ${id}`);
        sendJson(res, 200, ch);
      },
    },
    {
      method: 'DELETE',
      pattern: one,
      name: 'notification-channels.delete',
      run: async (req, res, m) => {
        await deleteChannel(rt.notifications, await scopeOf(req), decodeURIComponent(m[1]!));
        sendJson(res, 204);
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/notification-channels\/([^/]+)\/test\/?$/,
      name: 'notification-channels.test',
      run: async (req, res, m) => {
        sendJson(res, 200, await sendTest(rt.notifications, await scopeOf(req), decodeURIComponent(m[1]!)));
      },
    },
  ];
}
