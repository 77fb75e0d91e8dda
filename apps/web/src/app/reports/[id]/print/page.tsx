import { ReportPage } from '~/components/reports/report-page';

/** Print-friendly view: no navigation or buttons; opens the print dialog once the report is complete. */
export default async function ReportPrintRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ReportPage id={id} print />;
}
