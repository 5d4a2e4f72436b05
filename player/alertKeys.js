// Keyboard shortcuts of the duty desk and the help dialog that lists them. A key typed into a field, with
// a modifier, or while a dialog is open is the field's, never a shortcut.

export const SHORTCUTS = [
  { keys: ['j', 'ArrowDown'], shown: 'j / ↓', label: 'key_next', command: 'next' },
  { keys: ['k', 'ArrowUp'], shown: 'k / ↑', label: 'key_prev', command: 'previous' },
  { keys: ['a'], shown: 'a', label: 'key_ack', command: 'acknowledge' },
  { keys: ['r'], shown: 'r', label: 'key_resolve', command: 'resolve' },
  { keys: ['d'], shown: 'd', label: 'key_dismiss', command: 'dismiss' },
  { keys: ['n'], shown: 'n', label: 'key_note', command: 'note' },
  { keys: ['m'], shown: 'm', label: 'key_mute', command: 'mute' },
  { keys: ['/'], shown: '/', label: 'key_filter', command: 'filter' },
  { keys: ['?'], shown: '?', label: 'key_help', command: 'help' },
  { keys: ['Escape'], shown: 'Esc', label: 'key_close', command: 'close' },
];

function isTyping(target) {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Calls commands[name]() for each shortcut pressed; answers the function that removes the listener.
 * @param {Record<string, () => void>} commands
 */
export function bindShortcuts(commands) {
  const byKey = new Map(SHORTCUTS.flatMap((shortcut) => shortcut.keys.map((key) => [key, shortcut.command])));
  const onKey = (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (document.querySelector('dialog[open]')) return;
    if (isTyping(event.target)) {
      // Escape leaves a filter field, so the next key is a shortcut again.
      if (event.key === 'Escape') event.target.blur();
      return;
    }
    const command = byKey.get(event.key);
    if (!command || !commands[command]) return;
    event.preventDefault();
    commands[command]();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}

/** Fills the help dialog with the shortcut table, in the page's language. */
export function fillHelp(dialog, t) {
  dialog.querySelector('h2').textContent = t('shortcuts');
  const table = dialog.querySelector('dl');
  table.replaceChildren(
    ...SHORTCUTS.flatMap((shortcut) => {
      const key = document.createElement('dt');
      const kbd = document.createElement('kbd');
      kbd.textContent = shortcut.shown;
      key.append(kbd);
      const meaning = document.createElement('dd');
      meaning.textContent = t(shortcut.label);
      return [key, meaning];
    }),
  );
  const close = dialog.querySelector('button');
  close.textContent = t('close');
}
