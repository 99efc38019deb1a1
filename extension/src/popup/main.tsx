// Replaced by the side panel.
export {};
const root = document.getElementById('root');
if (root) root.textContent = 'Lossy';
