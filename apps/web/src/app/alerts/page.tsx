import { AlertsPage } from '~/components/alerts/alerts-page';
import { ReportSchedules } from '~/components/alerts/report-schedules';

export default function Alerts() {
  return (
    <>
      <AlertsPage />
      <ReportSchedules />
    </>
  );
}
