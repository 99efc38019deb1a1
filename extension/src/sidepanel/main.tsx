// The side panel's entry.

import { mountPage } from '@/ui/mount';

import { App } from './App';

mountPage(<App />);
