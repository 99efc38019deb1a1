// Placeholder: the content script entry.
