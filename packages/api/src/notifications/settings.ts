import { z } from 'zod';
import { registerSetting } from '../settings/registry';

/** Whether notifications may go to loopback/private/link-local destinations (self-hosted ntfy on the LAN). */
export const SNotificationsOutbound = registerSetting({
  key: 'notifications.outbound',
  section: 'security',
  description:
    'Allow notification channels to reach private, loopback and link-local addresses (off: only public addresses; OUTBOUND_ALLOW_PRIVATE=true also allows them).',
  schema: z.strictObject({ allowPrivate: z.boolean() }),
  default: { allowPrivate: false },
});
