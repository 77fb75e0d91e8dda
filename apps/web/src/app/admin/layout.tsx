import type { ReactNode } from 'react';
import { AdminNav } from '~/components/admin/admin-nav';
import '~/components/admin/admin.css';

export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <div className="admin-page">
      <AdminNav />
      {children}
    </div>
  );
}
