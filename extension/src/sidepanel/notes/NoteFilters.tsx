import type { NoteCategory, NoteStatus } from '@/gql/graphql';

import { isFiltering, toggle, type NoteFilter } from './filter';
import {
  CATEGORIES,
  CATEGORY_COLORS,
  categoryLabel,
  HIDDEN_STATUSES,
  LISTED_STATUSES,
  statusLabel,
} from './vocabulary';

const STATUSES: readonly NoteStatus[] = [...LISTED_STATUSES, ...HIDDEN_STATUSES];

/** Toggle chips: none pressed means "all". */
export function NoteFilters({
  filter,
  onChange,
}: {
  filter: NoteFilter;
  onChange: (filter: NoteFilter) => void;
}) {
  return (
    <details className="filters">
      <summary>Filters{isFiltering(filter) ? ' (on)' : ''}</summary>
      <fieldset>
        <legend>Category</legend>
        {CATEGORIES.map((category: NoteCategory) => (
          <button
            key={category}
            type="button"
            className="chip-toggle"
            aria-pressed={filter.categories.includes(category)}
            onClick={() => onChange({ ...filter, categories: toggle(filter.categories, category) })}
          >
            <span
              className="chip-dot"
              style={{ background: CATEGORY_COLORS[category] }}
              aria-hidden="true"
            />
            {categoryLabel(category)}
          </button>
        ))}
      </fieldset>
      <fieldset>
        <legend>Status</legend>
        {STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            className="chip-toggle"
            aria-pressed={filter.statuses.includes(status)}
            onClick={() => onChange({ ...filter, statuses: toggle(filter.statuses, status) })}
          >
            {statusLabel(status)}
          </button>
        ))}
      </fieldset>
      {isFiltering(filter) && (
        <button
          type="button"
          className="button subtle"
          onClick={() => onChange({ categories: [], statuses: [] })}
        >
          Clear filters
        </button>
      )}
    </details>
  );
}
