// The one small dialog the duty actions ask their text in (dismiss reason, note, assignee, resolution):
// Enter confirms, Shift+Enter starts a new line, Escape cancels, and a required text is never sent empty.

export class AlertPrompt {
  constructor(dialog, t) {
    this.dialog = dialog;
    this.t = t;
    this.form = dialog.querySelector('form');
    this.title = dialog.querySelector('h2');
    this.label = dialog.querySelector('label span');
    this.input = dialog.querySelector('textarea');
    this.message = dialog.querySelector('.error');
    this.resolve = null;
    dialog.querySelector('[value="cancel"]').textContent = t('cancel');
    dialog.querySelector('[value="ok"]').textContent = t('confirm');
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (event.submitter?.value === 'cancel') return this.finish(null);
      this.confirm();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.confirm();
      }
    });
    // Escape (the dialog's own cancel) answers null too; a late close event of a dialog re-opened since is not.
    dialog.addEventListener('close', () => {
      if (!dialog.open) this.finish(null);
    });
  }

  get open() {
    return this.dialog.open;
  }

  /** Asks for a text; answers it trimmed, or null when cancelled. */
  ask({ title, label, required = false, maxLength = 1000, value = '' }) {
    this.finish(null);
    this.title.textContent = title;
    this.label.textContent = label;
    this.input.value = value;
    this.input.required = required;
    this.input.maxLength = maxLength;
    this.message.textContent = '';
    this.dialog.showModal();
    this.input.focus();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  confirm() {
    const text = this.input.value.trim();
    if (this.input.required && !text) {
      this.message.textContent = this.t('required');
      this.input.focus();
      return;
    }
    this.finish(text);
  }

  finish(answer) {
    const resolve = this.resolve;
    this.resolve = null;
    if (this.dialog.open) this.dialog.close();
    resolve?.(answer);
  }
}
