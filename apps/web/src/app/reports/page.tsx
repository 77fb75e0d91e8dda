import { ReportsList } from '~/components/reports/reports-list';

export default function ReportsPage() {
  return <ReportsList />;
}
