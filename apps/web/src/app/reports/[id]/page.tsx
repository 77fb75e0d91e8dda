import { ReportPage } from '~/components/reports/report-page';

export default async function ReportRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ReportPage id={id} />;
}
