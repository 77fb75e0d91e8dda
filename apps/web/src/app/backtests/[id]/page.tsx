import { BacktestPage } from '~/components/backtests/backtest-page';

export default async function BacktestRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BacktestPage id={id} />;
}
