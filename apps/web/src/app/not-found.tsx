import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="card">
      <h1>404</h1>
      <p>
        This page does not exist. <Link href="/">Dashboard</Link>
      </p>
    </section>
  );
}
