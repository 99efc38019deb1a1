// The popup's entry. The side panel opens from the click itself (`chrome.sidePanel.open`
// needs the user's gesture, so the window id is read beforehand).

import { mountPage } from '@/ui/mount';

import { Popup } from './Popup';

let windowId: number | undefined;
void chrome.windows.getCurrent().then((window) => {
  windowId = window.id;
});

function openSidePanel() {
  if (windowId === undefined) return;
  void chrome.sidePanel.open({ windowId }).then(() => window.close());
}

mountPage(<Popup openSidePanel={openSidePanel} />);
