import { Link } from 'react-router';
import { EmptyState } from '@lossy/common/ui';

export function NotFound() {
  return (
    <EmptyState title="Nothing here">
      <p>
        This address does not match a page of Lossy. <Link to="/">Back to the library</Link>.
      </p>
    </EmptyState>
  );
}
