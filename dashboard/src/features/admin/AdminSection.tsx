import type { ReactNode } from 'react';
import { NavLink } from 'react-router';

import './admin.css';
import './shared/shared.css';

/** The admin pages; each also has a child route under /admin (src/app/router.tsx). */
const ADMIN_PAGES = [
  { to: '/admin', label: 'Health', end: true },
  { to: '/admin/trends', label: 'Trends', end: false },
  { to: '/admin/telemetry', label: 'Telemetry', end: false },
  { to: '/admin/quality', label: 'Quality', end: false },
  { to: '/admin/flags', label: 'Flags', end: false },
  { to: '/admin/users', label: 'Users', end: false },
  { to: '/admin/jobs', label: 'Jobs', end: false },
  { to: '/admin/audit', label: 'Audit log', end: false },
] as const;

/**
 * The admin area: its own heading and a small navigation between its pages. `showNav` is off
 * for someone who is not an admin (they see why they cannot enter, not the pages).
 */
export function AdminSection({ showNav, children }: { showNav: boolean; children: ReactNode }) {
  return (
    <div className="admin-section">
      <h1>Admin</h1>
      {showNav && (
        <nav aria-label="Admin pages" className="admin-nav">
          <ul>
            {ADMIN_PAGES.map((page) => (
              <li key={page.to}>
                <NavLink to={page.to} end={page.end}>
                  {page.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {children}
    </div>
  );
}
