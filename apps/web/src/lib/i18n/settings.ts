/**
 * Labels and help text of every admin setting and of its fields, in both languages. Keyed by the setting's
 * registry key (packages/api `registerSetting`) and the field's path inside the value ('indicators.macd.fast').
 * A field without its own entry falls back to `common` by its last path segment (markets, services, vendors).
 * `settings-labels.test.ts` fails when a registered setting or one of its fields has no label here.
 */

export interface FieldText {
  label: string;
  help?: string;
  /** Labels of enum values (a select's options, a record's fixed keys). */
  options?: Record<string, string>;
}

export interface SettingText {
  label: string;
  help: string;
  fields?: Record<string, FieldText>;
}

export interface EditorText {
  required: string;
  notANumber: string;
  integer: string;
  min: (n: number) => string;
  max: (n: number) => string;
  greaterThan: (n: number) => string;
  pattern: string;
  tooLong: (n: number) => string;
  minItems: (n: number) => string;
  maxItems: (n: number) => string;
  url: string;
  emptyKey: string;
  duplicateKey: string;
  add: string;
  remove: string;
  moveUp: string;
  moveDown: string;
  key: string;
  value: string;
  empty: string;
  fixErrors: string;
  default: string;
  jsonHint: string;
  invalidJson: string;
}

export interface SettingsDict {
  settings: Record<string, SettingText>;
  common: Record<string, FieldText>;
  editor: EditorText;
}

const MODULES_EN = {
  profile: 'Company profile',
  indicators: 'Technical indicators',
  statistics: 'Statistics (ARIMA, GARCH, VaR)',
  forecast: 'Neural forecast',
  sentiment: 'News sentiment',
  narrative: 'Written narrative (LLM)',
};
const MODULES_ZH = {
  profile: '公司概况',
  indicators: '技术指标',
  statistics: '统计模型（ARIMA、GARCH、VaR）',
  forecast: '神经网络预测',
  sentiment: '新闻情绪',
  narrative: '文字解读（大模型）',
};

const en: SettingsDict = {
  settings: {
    'analysis.modules': {
      label: 'Report modules',
      help: 'Which analyses a report runs and their parameters. Changes apply to the next report.',
      fields: {
        enabled: { label: 'Enabled modules', options: MODULES_EN },
        historyBars: { label: 'Daily bars loaded', help: 'History one report reads (70–3000 days).' },
        indicators: { label: 'Technical indicators' },
        'indicators.smaPeriods': { label: 'SMA periods', help: 'Simple moving averages, in days (1–4).' },
        'indicators.emaPeriods': { label: 'EMA periods', help: 'Exponential moving averages, in days.' },
        'indicators.rsiPeriod': { label: 'RSI period', help: 'Days in the relative strength index.' },
        'indicators.macd': { label: 'MACD' },
        'indicators.macd.fast': { label: 'Fast EMA' },
        'indicators.macd.slow': { label: 'Slow EMA' },
        'indicators.macd.signal': { label: 'Signal EMA' },
        'indicators.bollinger': { label: 'Bollinger bands' },
        'indicators.bollinger.period': { label: 'Period' },
        'indicators.bollinger.stdDev': { label: 'Width (standard deviations)' },
        'indicators.atrPeriod': { label: 'ATR period' },
        statistics: { label: 'Statistics' },
        'statistics.arimaHorizon': { label: 'ARIMA horizon (days)' },
        'statistics.arimaLevels': { label: 'ARIMA interval levels', help: 'e.g. 0.8 and 0.95.' },
        'statistics.arimaPoints': { label: 'Closes the ARIMA fit uses' },
        'statistics.garchHorizon': { label: 'GARCH horizon (days)' },
        'statistics.varLevels': { label: 'VaR confidence levels', help: 'e.g. 0.95 and 0.99.' },
        forecast: { label: 'Neural forecast' },
        'forecast.horizon': { label: 'Horizon (days)' },
        sentiment: { label: 'News sentiment' },
        'sentiment.headlines': { label: 'Headlines scored' },
        narrative: { label: 'Narrative' },
        'narrative.language': {
          label: 'Narrative language',
          options: { auto: 'The report’s language', zh: 'Chinese', en: 'English' },
        },
        'narrative.maxTokens': { label: 'Longest narrative (tokens)' },
      },
    },
    'inference.endpoints': {
      label: 'Inference services',
      help: 'Where each inference service listens, and how long one call may take before it counts as failed.',
      fields: {
        urls: { label: 'Addresses' },
        timeoutMs: { label: 'Timeouts (ms)' },
      },
    },
    'notifications.outbound': {
      label: 'Outbound addresses',
      help: 'Notification channels may only reach public addresses unless this is on (or OUTBOUND_ALLOW_PRIVATE=true): turn it on for ntfy or a webhook on your own network.',
      fields: { allowPrivate: { label: 'Allow private, loopback and link-local addresses' } },
    },
    'providers.apiKeys': {
      label: 'Provider API keys',
      help: 'Keys of the market-data vendors, encrypted at rest and shown masked. Empty: the environment variable, if set.',
    },
    'providers.baseUrls': {
      label: 'Provider base URLs',
      help: 'API address per provider id (e.g. finnhub → https://finnhub.io/api/v1). Empty: <NAME>_BASE_URL, else the vendor default.',
    },
    'providers.budgets': {
      label: 'Provider request budgets',
      help: 'Requests per minute and per day each provider may receive, shared by all processes; 0 = no limit. Unlisted providers use their free-tier default.',
    },
    'providers.chains': {
      label: 'Provider chains',
      help: 'Per market and kind of data, the providers in order: the first answers, the next take over on failure. Demo data only where "demo" is listed.',
    },
    'providers.crossCheck': {
      label: 'Daily close cross-check',
      help: 'Flag a daily close when two sources disagree by more than this.',
      fields: { thresholdPercent: { label: 'Threshold (%)' } },
    },
    'quotes.freshness': {
      label: 'Quote freshness and retention',
      help: 'How old a quote may be and still count as fresh, and how long quotes are kept.',
      fields: {
        defaultMaxAgeSeconds: { label: 'Fresh for (seconds)' },
        retentionDays: { label: 'Keep quotes (days)' },
      },
    },
    'security.apiTokens': {
      label: 'API tokens',
      help: 'Longest lifetime of a new API token; a token created without an expiry gets this one.',
      fields: { maxLifetimeDays: { label: 'Longest lifetime (days, 0 = no limit)' } },
    },
    'security.rateLimits': {
      label: 'Rate limits',
      help: 'Requests allowed per window before an answer is 429. Shared by every web process.',
      fields: {
        anonymousPerIpPerMinute: { label: 'Anonymous, per IP and minute' },
        userPerMinute: { label: 'Signed-in user, per minute' },
        tokenPerMinute: { label: 'API token, per minute' },
        loginPerIpPer15Minutes: { label: 'Sign-in attempts per IP, 15 minutes' },
        loginPerUsernamePer15Minutes: { label: 'Sign-in attempts per user name, 15 minutes' },
        loginFailuresPerUsernamePerHour: { label: 'Failed sign-ins per user name, hour' },
        authFailuresPerIpPer15Minutes: { label: 'Invalid API tokens per IP, 15 minutes' },
      },
    },
    'security.sessions': {
      label: 'Browser sessions',
      help: 'How long a sign-in lasts.',
      fields: { maxAgeHours: { label: 'Session length (hours)' } },
    },
    'ui.defaults': {
      label: 'Defaults for new visitors',
      help: 'Language (when the browser asks for neither English nor Chinese) and price colours, until a user picks their own.',
      fields: {
        language: { label: 'Language', options: { en: 'English', 'zh-CN': '简体中文' } },
        colorConvention: {
          label: 'Price colours',
          options: { market: 'By market (CN/HK red up)', 'red-up': 'Red up', 'green-up': 'Green up' },
        },
      },
    },
  },
  common: {
    CN: { label: 'China A' },
    HK: { label: 'Hong Kong' },
    US: { label: 'US' },
    quotes: { label: 'Quotes' },
    bars: { label: 'Bars' },
    fundamentals: { label: 'Fundamentals' },
    news: { label: 'News' },
    universe: { label: 'Symbol list' },
    llm: { label: 'LLM' },
    sentiment: { label: 'Sentiment' },
    timeseries: { label: 'Time series (neural)' },
    'cpu-timeseries': { label: 'Time series (statistics)' },
    finnhub: { label: 'Finnhub' },
    tushare: { label: 'Tushare Pro' },
    yahoo: { label: 'Yahoo Finance' },
    perMinute: { label: 'Per minute' },
    perDay: { label: 'Per day' },
  },
  editor: {
    required: 'Required.',
    notANumber: 'Enter a number.',
    integer: 'Enter a whole number.',
    min: (n) => `At least ${n}.`,
    max: (n) => `At most ${n}.`,
    greaterThan: (n) => `Must be greater than ${n}.`,
    pattern: 'Lower-case letters, digits, "-" and "_", starting with a letter.',
    tooLong: (n) => `At most ${n} characters.`,
    minItems: (n) => `At least ${n} ${n === 1 ? 'entry' : 'entries'}.`,
    maxItems: (n) => `At most ${n} entries.`,
    url: 'Enter a full URL such as http://127.0.0.1:8001.',
    emptyKey: 'Name this entry.',
    duplicateKey: 'Listed twice.',
    add: 'Add',
    remove: 'Remove',
    moveUp: 'Move up',
    moveDown: 'Move down',
    key: 'Name',
    value: 'Value',
    empty: 'None.',
    fixErrors: 'Fix the marked fields first.',
    default: 'Default',
    jsonHint: 'JSON',
    invalidJson: 'Not valid JSON yet: the last valid value is kept.',
  },
};

const zh: SettingsDict = {
  settings: {
    'analysis.modules': {
      label: '报告模块',
      help: '报告运行哪些分析及其参数；更改对下一份报告生效。',
      fields: {
        enabled: { label: '启用的模块', options: MODULES_ZH },
        historyBars: { label: '读取的日线数', help: '一份报告读取的历史长度（70–3000 天）。' },
        indicators: { label: '技术指标' },
        'indicators.smaPeriods': { label: 'SMA 周期', help: '简单移动平均线，单位为天（1–4 个）。' },
        'indicators.emaPeriods': { label: 'EMA 周期', help: '指数移动平均线，单位为天。' },
        'indicators.rsiPeriod': { label: 'RSI 周期', help: '相对强弱指数的天数。' },
        'indicators.macd': { label: 'MACD' },
        'indicators.macd.fast': { label: '快线 EMA' },
        'indicators.macd.slow': { label: '慢线 EMA' },
        'indicators.macd.signal': { label: '信号线 EMA' },
        'indicators.bollinger': { label: '布林带' },
        'indicators.bollinger.period': { label: '周期' },
        'indicators.bollinger.stdDev': { label: '宽度（标准差倍数）' },
        'indicators.atrPeriod': { label: 'ATR 周期' },
        statistics: { label: '统计模型' },
        'statistics.arimaHorizon': { label: 'ARIMA 预测天数' },
        'statistics.arimaLevels': { label: 'ARIMA 区间置信度', help: '例如 0.8 与 0.95。' },
        'statistics.arimaPoints': { label: 'ARIMA 拟合使用的收盘价数' },
        'statistics.garchHorizon': { label: 'GARCH 预测天数' },
        'statistics.varLevels': { label: 'VaR 置信度', help: '例如 0.95 与 0.99。' },
        forecast: { label: '神经网络预测' },
        'forecast.horizon': { label: '预测天数' },
        sentiment: { label: '新闻情绪' },
        'sentiment.headlines': { label: '评分的新闻条数' },
        narrative: { label: '文字解读' },
        'narrative.language': {
          label: '解读语言',
          options: { auto: '跟随报告语言', zh: '中文', en: '英文' },
        },
        'narrative.maxTokens': { label: '解读最长（token 数）' },
      },
    },
    'inference.endpoints': {
      label: '推理服务',
      help: '各推理服务的地址，以及一次调用最长可用多久（超时即视为失败）。',
      fields: {
        urls: { label: '地址' },
        timeoutMs: { label: '超时（毫秒）' },
      },
    },
    'notifications.outbound': {
      label: '外发地址',
      help: '默认通知渠道只能访问公网地址；开启后（或设置 OUTBOUND_ALLOW_PRIVATE=true）可访问内网，例如局域网中的 ntfy 或 Webhook。',
      fields: { allowPrivate: { label: '允许内网、回环及链路本地地址' } },
    },
    'providers.apiKeys': {
      label: '数据源 API 密钥',
      help: '行情数据供应商的密钥，加密存储，仅显示掩码。留空则使用环境变量（如已设置）。',
    },
    'providers.baseUrls': {
      label: '数据源接口地址',
      help: '按数据源标识填写接口地址（如 finnhub → https://finnhub.io/api/v1）。留空则用 <NAME>_BASE_URL，否则用供应商默认地址。',
    },
    'providers.budgets': {
      label: '数据源请求额度',
      help: '每个数据源每分钟、每天可接收的请求数，所有进程共享；0 表示不限。未列出的数据源使用其免费档默认值。',
    },
    'providers.chains': {
      label: '数据源链',
      help: '按市场与数据类型排列数据源：第一个负责应答，失败时由后面的接替。只有列出 "demo" 时才使用演示数据。',
    },
    'providers.crossCheck': {
      label: '收盘价交叉核对',
      help: '两个数据源的日收盘价相差超过此比例时标记。',
      fields: { thresholdPercent: { label: '阈值（%）' } },
    },
    'quotes.freshness': {
      label: '报价时效与保留',
      help: '报价在多长时间内算作实时，以及报价保留多久。',
      fields: {
        defaultMaxAgeSeconds: { label: '实时判定（秒）' },
        retentionDays: { label: '报价保留（天）' },
      },
    },
    'security.apiTokens': {
      label: 'API 令牌',
      help: '新 API 令牌的最长有效期；创建时未设有效期的令牌使用此值。',
      fields: { maxLifetimeDays: { label: '最长有效期（天，0 为不限）' } },
    },
    'security.rateLimits': {
      label: '访问频率限制',
      help: '每个时间窗口内允许的请求数，超出即返回 429。所有 Web 进程共享。',
      fields: {
        anonymousPerIpPerMinute: { label: '匿名访问，每 IP 每分钟' },
        userPerMinute: { label: '登录用户，每分钟' },
        tokenPerMinute: { label: 'API 令牌，每分钟' },
        loginPerIpPer15Minutes: { label: '登录尝试，每 IP 每 15 分钟' },
        loginPerUsernamePer15Minutes: { label: '登录尝试，每用户名每 15 分钟' },
        loginFailuresPerUsernamePerHour: { label: '登录失败，每用户名每小时' },
        authFailuresPerIpPer15Minutes: { label: '无效 API 令牌，每 IP 每 15 分钟' },
      },
    },
    'security.sessions': {
      label: '浏览器会话',
      help: '一次登录的有效时长。',
      fields: { maxAgeHours: { label: '会话时长（小时）' } },
    },
    'ui.defaults': {
      label: '新访客的默认设置',
      help: '语言（当浏览器既未要求英文也未要求中文时）与涨跌配色，用户自行选择后以其选择为准。',
      fields: {
        language: { label: '语言', options: { en: 'English', 'zh-CN': '简体中文' } },
        colorConvention: {
          label: '涨跌配色',
          options: { market: '按市场（A股/港股红涨）', 'red-up': '红涨绿跌', 'green-up': '绿涨红跌' },
        },
      },
    },
  },
  common: {
    CN: { label: 'A股' },
    HK: { label: '港股' },
    US: { label: '美股' },
    quotes: { label: '实时报价' },
    bars: { label: 'K线' },
    fundamentals: { label: '基本面' },
    news: { label: '新闻' },
    universe: { label: '证券列表' },
    llm: { label: '大模型' },
    sentiment: { label: '情绪分析' },
    timeseries: { label: '时间序列（神经网络）' },
    'cpu-timeseries': { label: '时间序列（统计）' },
    finnhub: { label: 'Finnhub' },
    tushare: { label: 'Tushare Pro' },
    yahoo: { label: '雅虎财经' },
    perMinute: { label: '每分钟' },
    perDay: { label: '每天' },
  },
  editor: {
    required: '必填。',
    notANumber: '请输入数字。',
    integer: '请输入整数。',
    min: (n) => `不能小于 ${n}。`,
    max: (n) => `不能大于 ${n}。`,
    greaterThan: (n) => `必须大于 ${n}。`,
    pattern: '只能用小写字母、数字、"-" 和 "_"，并以字母开头。',
    tooLong: (n) => `最多 ${n} 个字符。`,
    minItems: (n) => `至少 ${n} 项。`,
    maxItems: (n) => `最多 ${n} 项。`,
    url: '请输入完整网址，例如 http://127.0.0.1:8001。',
    emptyKey: '请填写名称。',
    duplicateKey: '重复。',
    add: '添加',
    remove: '删除',
    moveUp: '上移',
    moveDown: '下移',
    key: '名称',
    value: '值',
    empty: '无。',
    fixErrors: '请先修正标出的字段。',
    default: '默认值',
    jsonHint: 'JSON',
    invalidJson: 'JSON 尚不合法：保留上一个合法值。',
  },
};

export const settingsDict = { en, 'zh-CN': zh };

/** Label and help of a field at `path` inside setting `key`. */
export function fieldText(d: SettingsDict, key: string, path: readonly string[]): FieldText | undefined {
  const own = d.settings[key]?.fields?.[path.join('.')];
  if (own) return own;
  const last = path[path.length - 1];
  return last === undefined ? undefined : d.common[last];
}
