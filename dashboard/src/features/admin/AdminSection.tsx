import type { ReactNode } from 'react';
import { NavLink } from 'react-router';

import './admin.css';

/** The admin pages; later admin pages add a line here and a child route under /admin. */
const ADMIN_PAGES = [{ to: '/admin', label: 'Audit log', end: true }] as const;

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
