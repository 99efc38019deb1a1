import { CATEGORY_COLORS, categoryLabel, type NoteCategory } from '../notes';

/** A note's category as a coloured dot and its name; the name says it without the colour. */
export function CategoryChip({ category }: { category: NoteCategory }) {
  return (
    <span className="chip">
      <span
        className="chip-dot"
        style={{ background: CATEGORY_COLORS[category] }}
        aria-hidden="true"
      />
      <span className="visually-hidden">Category: </span>
      {categoryLabel(category)}
    </span>
  );
}
