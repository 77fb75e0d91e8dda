import { Watchlist } from '~/components/watchlist';

export default function DashboardPage() {
  return <Watchlist />;
}
