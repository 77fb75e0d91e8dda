import { dingtalkChannel } from './dingtalk';
import { emailChannel } from './email';
import { feishuChannel } from './feishu';
import { ntfyChannel } from './ntfy';
import { telegramChannel } from './telegram';
import type { ChannelDescriptor } from './types';
import { webhookChannel } from './webhook';
import { wecomChannel } from './wecom';

/** Every channel kind. Adding one: a file in this folder and a line here. */
export const CHANNELS = [
  emailChannel,
  webhookChannel,
  telegramChannel,
  wecomChannel,
  dingtalkChannel,
  feishuChannel,
  ntfyChannel,
] as unknown as readonly ChannelDescriptor[];

export const CHANNEL_TYPES = CHANNELS.map((c) => c.type) as [string, ...string[]];

export function channelDescriptor(type: string): ChannelDescriptor | undefined {
  return CHANNELS.find((c) => c.type === type);
}
