import { BacktestForm } from '~/components/backtests/backtest-form';

export default function BacktestsPage() {
  return <BacktestForm />;
}
