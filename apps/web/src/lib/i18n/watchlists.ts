const en = {
  list: 'List',
  newList: 'New list',
  newListName: 'Name of the new list',
  create: 'Create',
  cancel: 'Cancel',
  deleteList: 'Delete list',
  confirmDelete: (name: string) => `Delete the list “${name}”?`,
  addSymbol: 'Add a symbol',
  searchPlaceholder: 'Search symbol or name…',
  noMatches: 'No matching symbol',
  moveUp: (s: string) => `Move ${s} up`,
  moveDown: (s: string) => `Move ${s} down`,
  remove: (s: string) => `Remove ${s}`,
  actions: 'Order',
  empty: 'This list is empty: add a symbol above.',
  defaultName: 'Watchlist',
};

const zh: typeof en = {
  list: '列表',
  newList: '新建列表',
  newListName: '新列表名称',
  create: '创建',
  cancel: '取消',
  deleteList: '删除列表',
  confirmDelete: (name: string) => `删除列表“${name}”？`,
  addSymbol: '添加股票',
  searchPlaceholder: '搜索代码或名称…',
  noMatches: '没有匹配的股票',
  moveUp: (s: string) => `上移 ${s}`,
  moveDown: (s: string) => `下移 ${s}`,
  remove: (s: string) => `移除 ${s}`,
  actions: '排序',
  empty: '列表为空：请在上方添加股票。',
  defaultName: '自选股',
};

export const watchlistsDict = { en, 'zh-CN': zh };
