import { NavLink, Outlet } from 'react-router';

import { ConnectionBanner } from '@/components/ConnectionBanner';
import { useSession, type User } from '@/features/auth/session';

export function Layout({ user }: { user: User }) {
  const { signOut } = useSession();
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <NavLink to="/" className="brand" end>
          Lossy
        </NavLink>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Library
              </NavLink>
            </li>
            <li>
              <NavLink to="/settings">Settings</NavLink>
            </li>
            <li>
              <NavLink to="/devices">Devices</NavLink>
            </li>
            {user.role === 'ADMIN' && (
              <li>
                <NavLink to="/admin">Admin</NavLink>
              </li>
            )}
            <li>
              <a href="/graphiql">GraphiQL</a>
            </li>
          </ul>
        </nav>
        <div className="account">
          <span className="account-email" title={user.email}>
            {user.name || user.email}
          </span>
          <button type="button" className="button subtle" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" className="content">
        <Outlet />
      </main>
    </div>
  );
}
