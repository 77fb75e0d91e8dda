const en = {
  title: 'CSV import',
  intro:
    'Import daily bars or fundamentals from a CSV file (format: docs/csv-import.md). The whole file is checked first; if any row is wrong, nothing is imported and every problem is listed.',
  file: 'File',
  kind: 'Kind',
  bars: 'Daily bars',
  fundamentals: 'Fundamentals',
  upload: 'Upload',
  uploading: (pct: number) => `Uploading… ${pct}%`,
  processing: 'Checking and importing…',
  imported: (rows: number, inserted: number, updated: number, symbols: number) =>
    `${rows} rows imported (${inserted} new, ${updated} updated, ${symbols} new symbols).`,
  rejected: (errors: number, rows: number) =>
    `${errors} problem${errors === 1 ? '' : 's'} in ${rows} rows — nothing was imported.`,
  shownFirst: (shown: number) => `The first ${shown} are listed.`,
  row: 'Row',
  field: 'Field',
  message: 'Problem',
  tooLarge: (mb: number) => `The file is larger than ${mb} MB.`,
  networkError: 'The upload failed (network error).',
  columns: 'Columns',
};

const zh: typeof en = {
  title: 'CSV 导入',
  intro:
    '从 CSV 文件导入日线或基本面数据（格式见 docs/csv-import.md）。先检查整个文件；只要有一行有误，就不导入任何数据，并列出所有问题。',
  file: '文件',
  kind: '类型',
  bars: '日线',
  fundamentals: '基本面',
  upload: '上传',
  uploading: (pct) => `上传中… ${pct}%`,
  processing: '正在检查并导入…',
  imported: (rows, inserted, updated, symbols) =>
    `已导入 ${rows} 行（新增 ${inserted}，更新 ${updated}，新登记代码 ${symbols} 个）。`,
  rejected: (errors, rows) => `${rows} 行中有 ${errors} 个问题——未导入任何数据。`,
  shownFirst: (shown) => `下面列出前 ${shown} 个。`,
  row: '行',
  field: '字段',
  message: '问题',
  tooLarge: (mb) => `文件超过 ${mb} MB。`,
  networkError: '上传失败（网络错误）。',
  columns: '列',
};

export const importsDict = { en, 'zh-CN': zh };
