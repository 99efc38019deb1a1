import { createBrowserRouter, Outlet } from 'react-router';

import { RequireAdmin, RequireUser } from '@/features/auth/guards';
import { SignInPage } from '@/features/auth/SignInPage';
import { useUser } from '@/features/auth/session';
import { LibraryPage } from '@/features/library/LibraryPage';
import { SettingsPage } from '@/features/settings/SettingsPage';
import { DevicesPage } from '@/features/devices/DevicesPage';
import { AdminSection } from '@/features/admin/AdminSection';
import { AuditLogPage } from '@/features/admin/AuditLogPage';
import { HealthPage } from '@/features/admin/health/HealthPage';
import { FlagsPage } from '@/features/admin/flags/FlagsPage';
import { QualityPage } from '@/features/admin/quality/QualityPage';
import { JobsPage } from '@/features/admin/jobs/JobsPage';
import { UsersPage } from '@/features/admin/users/UsersPage';
import { TelemetryPage } from '@/features/admin/telemetry/TelemetryPage';
import { TrendsPage } from '@/features/admin/trends/TrendsPage';

import { Layout } from './Layout';
import { NotFound } from './routes/NotFound';
import { VideoRoute } from './routes/VideoRoute';

/** The admin area's heading for everyone who comes here; its pages only for admins. */
function AdminOnly() {
  const user = useUser();
  return (
    <AdminSection showNav={user.role === 'ADMIN'}>
      <RequireAdmin user={user}>
        <Outlet />
      </RequireAdmin>
    </AdminSection>
  );
}

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    path: '/',
    element: <RequireUser>{(user) => <Layout user={user} />}</RequireUser>,
    children: [
      { index: true, element: <LibraryPage /> },
      { path: 'videos/:videoId', element: <VideoRoute /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: 'devices', element: <DevicesPage /> },
      {
        path: 'admin',
        element: <AdminOnly />,
        children: [
          { index: true, element: <HealthPage /> },
          { path: 'trends', element: <TrendsPage /> },
          { path: 'telemetry', element: <TelemetryPage /> },
          { path: 'quality', element: <QualityPage /> },
          { path: 'flags', element: <FlagsPage /> },
          { path: 'users', element: <UsersPage /> },
          { path: 'jobs', element: <JobsPage /> },
          { path: 'audit', element: <AuditLogPage /> },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
