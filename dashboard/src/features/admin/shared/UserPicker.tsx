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
 * Picks a user by email: a text field suggesting the emails that match what is typed (from
 * the `users` query). The user is picked once the text is exactly one of them.
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

  return (
    <div className="field user-picker">
      <label htmlFor={`${id}-input`}>
        <span>{label}</span>
      </label>
      <input
        id={`${id}-input`}
        type="search"
        list={`${id}-list`}
        value={text}
        autoComplete="off"
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          setText(event.target.value);
        }}
      />
      <datalist id={`${id}-list`}>
        {users.map((user) => (
          <option key={user.id} value={user.email}>
            {user.name}
          </option>
        ))}
      </datalist>
      <span id={`${id}-hint`} className="hint" aria-live="polite">
        {hint}
      </span>
    </div>
  );
}
