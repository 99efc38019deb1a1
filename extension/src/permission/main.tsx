// The microphone page's entry. It needs no connection to the worker: the permission it asks
// for belongs to the extension, and capture uses it from the offscreen document.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import '@/ui/styles.css';
import './microphone.css';

import { MicrophonePage } from './MicrophonePage';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MicrophonePage />
    </StrictMode>,
  );
}
