import { AlertsPage } from '~/components/alerts/alerts-page';

export default function Alerts() {
  return <AlertsPage />;
}
