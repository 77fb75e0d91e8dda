import { PortfolioPage } from '~/components/portfolio/portfolio-page';

export default function Portfolio() {
  return <PortfolioPage />;
}
