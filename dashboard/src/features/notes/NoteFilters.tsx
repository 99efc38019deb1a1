import {
  CATEGORIES,
  categoryLabel,
  DEFAULT_FILTER,
  isFiltering,
  LISTED_STATUSES,
  statusLabel,
  toggled,
  type NoteCategory,
  type NoteFilter,
  type NoteStatus,
} from '@lossy/common/notes';
import { useId } from 'react';

/** Which notes the list shows. Filters apply at once, in the browser (@lossy/common/notes). */
export function NoteFilters({
  filter,
  onChange,
}: {
  filter: NoteFilter;
  onChange: (filter: NoteFilter) => void;
}) {
  const confidenceId = useId();
  const active = isFiltering(filter);
  return (
    <details className="note-filters">
      <summary>Filters{active ? ' (on)' : ''}</summary>
      <div className="note-filters-body">
        <fieldset>
          <legend>Categories</legend>
          <p className="hint">None ticked: every category.</p>
          <div className="note-filter-options">
            {CATEGORIES.map((category: NoteCategory) => (
              <label key={category} className="note-filter-option">
                <input
                  type="checkbox"
                  checked={filter.categories.includes(category)}
                  onChange={(event) =>
                    onChange({
                      ...filter,
                      categories: toggled(filter.categories, category, event.target.checked),
                    })
                  }
                />
                <span
                  className={`note-chip-dot note-chip-${category.toLowerCase()}`}
                  aria-hidden="true"
                />
                {categoryLabel(category)}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>Statuses</legend>
          <p className="hint">None ticked: every status below.</p>
          <div className="note-filter-options">
            {LISTED_STATUSES.map((status: NoteStatus) => (
              <label key={status} className="note-filter-option">
                <input
                  type="checkbox"
                  checked={filter.statuses.includes(status)}
                  onChange={(event) =>
                    onChange({
                      ...filter,
                      statuses: toggled(filter.statuses, status, event.target.checked),
                    })
                  }
                />
                {statusLabel(status)}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>Also show</legend>
          <div className="note-filter-options">
            <label className="note-filter-option">
              <input
                type="checkbox"
                checked={filter.showSuppressed}
                onChange={(event) => onChange({ ...filter, showSuppressed: event.target.checked })}
              />
              Show suppressed
            </label>
            <label className="note-filter-option">
              <input
                type="checkbox"
                checked={filter.showCancelled}
                onChange={(event) => onChange({ ...filter, showCancelled: event.target.checked })}
              />
              Show cancelled
            </label>
            <label className="note-filter-option">
              <input
                type="checkbox"
                checked={filter.showDeleted}
                onChange={(event) => onChange({ ...filter, showDeleted: event.target.checked })}
              />
              Show deleted
            </label>
          </div>
        </fieldset>
        <div className="field note-filter-confidence">
          <label htmlFor={confidenceId}>Minimum confidence (%)</label>
          <input
            id={confidenceId}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={5}
            value={Math.round(filter.minConfidence * 100)}
            onChange={(event) => {
              const percent = Number(event.target.value);
              if (!Number.isFinite(percent)) return;
              onChange({ ...filter, minConfidence: Math.min(100, Math.max(0, percent)) / 100 });
            }}
          />
        </div>
        {active && (
          <button type="button" className="button subtle" onClick={() => onChange(DEFAULT_FILTER)}>
            Clear filters
          </button>
        )}
      </div>
    </details>
  );
}
