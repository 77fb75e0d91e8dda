import { NewReportForm } from '~/components/reports/new-report-form';

export default function NewReportPage() {
  return <NewReportForm />;
}
