export {
  DEFAULT_WATCHLIST_NAME,
  defaultWatchlistSymbols,
  type SymbolRef,
  watchedSymbols,
} from './watchlists';
