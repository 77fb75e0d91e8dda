import type { IncomingMessage } from 'node:http';
import { createAlert, deleteAlert, getAlert, listAlerts } from '../alerts/service';
import { AppError } from '../errors';
import type { Runtime } from '../runtime';
import type { ApiRoute } from './auth-routes';
import { readJsonBody } from './read-body';
import { type Authed, ownerUserId, sendJson } from './rest-helpers';

const MAX_ALERT_BODY = 16 * 1024;

/** Alerts belong to a user: the session's user or the API token's owner. */
export function alertOwner(p: Authed): string {
  return ownerUserId(p, 'alerts');
}

/**
 * REST for scripts: `POST/GET /api/v1/alerts`, `GET/DELETE /api/v1/alerts/:id`, token-authenticated like the
 * notification-channel API (analyst or higher). Bodies are validated whole: 400 names the field.
 */
export function alertRoutes(
  rt: Runtime,
  auth: (req: IncomingMessage, role: 'analyst') => Promise<Authed>,
): ApiRoute[] {
  const ownerOf = async (req: IncomingMessage) => alertOwner(await auth(req, 'analyst'));
  const base = /^\/api\/v1\/alerts\/?$/;
  const one = /^\/api\/v1\/alerts\/([^/]+)\/?$/;
  return [
    {
      method: 'POST',
      pattern: base,
      name: 'alerts.create',
      run: async (req, res) => {
        const userId = await ownerOf(req);
        const body = await readJsonBody(req, res, MAX_ALERT_BODY);
        const alert = await createAlert(rt.db, userId, body);
        await rt.alerts.changed();
        sendJson(res, 201, alert);
      },
    },
    {
      method: 'GET',
      pattern: base,
      name: 'alerts.list',
      run: async (req, res) => {
        sendJson(res, 200, { alerts: await listAlerts(rt.db, await ownerOf(req)) });
      },
    },
    {
      method: 'GET',
      pattern: one,
      name: 'alerts.get',
      run: async (req, res, m) => {
        const id = decodeURIComponent(m[1]!);
        const alert = await getAlert(rt.db, await ownerOf(req), id);
        if (!alert) throw new AppError('NOT_FOUND', `no alert ${id.slice(0, 60)}`);
        sendJson(res, 200, alert);
      },
    },
    {
      method: 'DELETE',
      pattern: one,
      name: 'alerts.delete',
      run: async (req, res, m) => {
        await deleteAlert(rt.db, await ownerOf(req), decodeURIComponent(m[1]!));
        await rt.alerts.changed();
        sendJson(res, 204);
      },
    },
  ];
}
