import {
  CATEGORIES,
  CATEGORY_COLORS,
  categoryLabel,
  DEFAULT_FILTER,
  HIDDEN_STATUSES,
  isFiltering,
  LISTED_STATUSES,
  statusLabel,
  toggled,
  type NoteFilter,
} from '@lossy/common/notes';

import type { NoteCategory, NoteStatus } from '@/gql/graphql';

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
            onClick={() =>
              onChange({ ...filter, categories: toggled(filter.categories, category) })
            }
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
            onClick={() => onChange({ ...filter, statuses: toggled(filter.statuses, status) })}
          >
            {statusLabel(status)}
          </button>
        ))}
      </fieldset>
      {isFiltering(filter) && (
        <button type="button" className="button subtle" onClick={() => onChange(DEFAULT_FILTER)}>
          Clear filters
        </button>
      )}
    </details>
  );
}
