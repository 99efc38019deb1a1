import { useEffect, useId, useState } from 'react';
import { useQuery } from 'urql';

import { FindUsersDocument } from './api';
import { errorText } from './format';
import { useDebounced } from './useDebounced';

export interface PickedUser {
  id: string;
  email: string;
}

/** The user whose email is exactly `text` (ignoring case and spaces around it), if listed. */
export function userByEmail<U extends PickedUser>(users: readonly U[], text: string): U | null {
  const wanted = text.trim().toLowerCase();
  if (wanted === '') return null;
  return users.find((user) => user.email.toLowerCase() === wanted) ?? null;
}

/**
 * Picks a user by email: a text field with, under it, the users whose email or name matches
 * what is typed (the `users` query), each choosable by click or Enter. The user is picked
 * once the text is exactly one of their emails.
 */
export function UserPicker({
  label,
  onChange,
  initialEmail = '',
}: {
  label: string;
  onChange: (user: PickedUser | null) => void;
  initialEmail?: string;
}) {
  const id = useId();
  const [text, setText] = useState(initialEmail);
  const search = useDebounced(text.trim(), 250);
  const [result] = useQuery({
    query: FindUsersDocument,
    variables: { search, first: 10 },
    pause: search === '',
  });
  const users = result.data?.users.nodes ?? [];
  const picked = userByEmail(users, text);
  const pickedId = picked?.id ?? null;
  const pickedEmail = picked?.email ?? null;
  useEffect(() => {
    onChange(pickedId && pickedEmail ? { id: pickedId, email: pickedEmail } : null);
  }, [pickedId, pickedEmail, onChange]);

  const settled = search === text.trim() && !result.fetching;
  let hint = 'Type an email; matching users are suggested.';
  if (result.error) hint = `Users could not be searched: ${errorText(result.error)}`;
  else if (picked) hint = `${picked.name || picked.email} picked.`;
  else if (text.trim() !== '' && settled) hint = 'No user has exactly this email.';

  const suggesting = !picked && users.length > 0 && text.trim() !== '';

  return (
    <div className="field user-picker">
      <label htmlFor={`${id}-input`}>
        <span>{label}</span>
      </label>
      <input
        id={`${id}-input`}
        type="search"
        // Only while the list exists: a reference to a missing element is invalid ARIA.
        aria-controls={suggesting ? `${id}-list` : undefined}
        value={text}
        autoComplete="off"
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          setText(event.target.value);
        }}
      />
      {suggesting && (
        <ul className="user-picker-list" role="listbox" id={`${id}-list`} aria-label={label}>
          {users.map((user) => (
            <li
              key={user.id}
              role="option"
              aria-selected={false}
              tabIndex={0}
              onClick={() => {
                setText(user.email);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  setText(user.email);
                }
              }}
            >
              {user.email}
              {user.name && <span className="hint"> ({user.name})</span>}
            </li>
          ))}
        </ul>
      )}
      <span id={`${id}-hint`} className="hint" aria-live="polite">
        {hint}
      </span>
    </div>
  );
}
