import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';
import type { Runtime } from '../runtime';
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listScheduleRuns,
  listSchedules,
  updateSchedule,
} from '../schedules/service';
import type { ApiRoute } from './auth-routes';
import { readJsonBody } from './read-body';
import { type Authed, ownerUserId, sendJson } from './rest-helpers';

const MAX_BODY = 16 * 1024;

/**
 * REST for scripts: `POST/GET /api/v1/report-schedules`, `GET/PATCH/DELETE /api/v1/report-schedules/:id`,
 * `GET /api/v1/report-schedules/:id/runs`; analyst tokens with an owner (schedules belong to a user).
 */
export function scheduleRoutes(
  rt: Runtime,
  auth: (req: IncomingMessage, role: 'analyst') => Promise<Authed>,
): ApiRoute[] {
  const ownerOf = async (req: IncomingMessage) => ownerUserId(await auth(req, 'analyst'), 'report schedules');
  const base = /^\/api\/v1\/report-schedules\/?$/;
  const one = /^\/api\/v1\/report-schedules\/([^/]+)\/?$/;
  const runs = /^\/api\/v1\/report-schedules\/([^/]+)\/runs\/?$/;
  const found = async (userId: string, id: string) => {
    const s = await getSchedule(rt.db, userId, id, rt.now());
    if (!s) throw new AppError('NOT_FOUND', `no report schedule ${id.slice(0, 60)}`);
    return s;
  };
  return [
    {
      method: 'POST',
      pattern: base,
      name: 'schedules.create',
      run: async (req, res) => {
        const userId = await ownerOf(req);
        const body = await readJsonBody(req, res, MAX_BODY);
        sendJson(res, 201, await createSchedule(rt.db, userId, body, rt.now()));
      },
    },
    {
      method: 'GET',
      pattern: base,
      name: 'schedules.list',
      run: async (req, res) => {
        sendJson(res, 200, { schedules: await listSchedules(rt.db, await ownerOf(req), rt.now()) });
      },
    },
    {
      method: 'GET',
      pattern: one,
      name: 'schedules.get',
      run: async (req, res, m) => {
        sendJson(res, 200, await found(await ownerOf(req), decodeURIComponent(m[1]!)));
      },
    },
    {
      method: 'PATCH',
      pattern: one,
      name: 'schedules.update',
      run: async (req, res, m) => {
        const userId = await ownerOf(req);
        const body = await readJsonBody(req, res, MAX_BODY);
        sendJson(res, 200, await updateSchedule(rt.db, userId, decodeURIComponent(m[1]!), body, rt.now()));
      },
    },
    {
      method: 'DELETE',
      pattern: one,
      name: 'schedules.delete',
      run: async (req, res, m) => {
        await deleteSchedule(rt.db, await ownerOf(req), decodeURIComponent(m[1]!));
        sendJson(res, 204);
      },
    },
    {
      method: 'GET',
      pattern: runs,
      name: 'schedules.runs',
      run: async (req, res, m) => {
        const userId = await ownerOf(req);
        const s = await found(userId, decodeURIComponent(m[1]!));
        sendJson(res, 200, { runs: await listScheduleRuns(rt.db, userId, { scheduleId: s.id, limit: 50 }) });
      },
    },
  ];
}
