const en = {
  title: 'Scheduled reports',
  intro:
    'On each trading day of the market, at the time you choose (market time zone), reports are generated for the list’s symbols of that market and a summary with links is sent to the channels and shown here.',
  none: 'No schedules yet.',
  watchlist: 'Watchlist',
  market: 'Market',
  time: 'Time (market time zone)',
  language: 'Report language',
  channels: 'Send summary to',
  noChannels: 'No notification channels: summaries show here only.',
  create: 'Add schedule',
  remove: 'Delete',
  enable: 'Enable',
  disable: 'Disable',
  disabled: 'disabled',
  next: 'Next run',
  zone: { CN: 'Asia/Shanghai', HK: 'Asia/Hong_Kong', US: 'America/New_York' } as Record<string, string>,
  runs: 'Summaries',
  noRuns: 'No scheduled run yet.',
  markRead: 'Mark summaries read',
  progress: (done: number, total: number) => `${done}/${total} reports`,
  status: {
    running: 'running',
    complete: 'complete',
    partial: 'partly failed',
    failed: 'failed',
  } as Record<string, string>,
  itemStatus: { pending: 'pending', running: 'running', complete: 'complete', failed: 'failed' } as Record<
    string,
    string
  >,
};

const zh: typeof en = {
  title: '定时报告',
  intro:
    '在该市场每个交易日的指定时间（市场时区），为列表中该市场的股票生成报告，并把带链接的摘要发送到所选渠道、显示在此处。',
  none: '暂无定时任务。',
  watchlist: '自选列表',
  market: '市场',
  time: '时间（市场时区）',
  language: '报告语言',
  channels: '摘要发送到',
  noChannels: '没有通知渠道：摘要仅在此显示。',
  create: '添加定时任务',
  remove: '删除',
  enable: '启用',
  disable: '停用',
  disabled: '已停用',
  next: '下次运行',
  zone: en.zone,
  runs: '摘要',
  noRuns: '尚无定时运行。',
  markRead: '摘要标为已读',
  progress: (done: number, total: number) => `${done}/${total} 份报告`,
  status: { running: '运行中', complete: '完成', partial: '部分失败', failed: '失败' },
  itemStatus: { pending: '等待', running: '运行中', complete: '完成', failed: '失败' },
};

export const schedulesDict = { en, 'zh-CN': zh };
