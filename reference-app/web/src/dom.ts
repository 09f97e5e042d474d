// A tiny element builder: h('button', { testid: 'post-submit', onclick }, 'Post').
// `testid` becomes data-testid (the UI contract, docs/ui-contract.md); `on*` functions become listeners;
// `true` sets a boolean attribute, `false`/undefined leaves it out.
type Attr = string | number | boolean | undefined | ((ev: Event) => void);
export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === undefined || value === false) continue;
    else el.setAttribute(key === 'testid' ? 'data-testid' : key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children)
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** The values of a form's named inputs, trimmed. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
}

/** A form whose submit handler runs once at a time and shows its error in the form. */
export function form(
  attrs: Record<string, Attr>,
  onSubmit: (values: Record<string, string>, form: HTMLFormElement) => Promise<void>,
  ...children: Child[]
): HTMLFormElement {
  const error = h('p', { class: 'error', testid: 'form-error', hidden: true });
  const f = h('form', attrs, ...children, error);
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (f.dataset.busy) return;
    f.dataset.busy = '1';
    error.hidden = true;
    onSubmit(formValues(f), f)
      .catch((err: Error) => {
        error.textContent = err.message;
        error.hidden = false;
      })
      .finally(() => delete f.dataset.busy);
  });
  return f;
}

/** Inserts `el` into `list` keeping children ordered by id (pushes may race the first load). */
export function insertById(list: Element, el: HTMLElement, id: number, order: 'newest-first' | 'oldest-first'): void {
  el.dataset.sortId = String(id);
  const before = [...list.children].find((c) => {
    const other = Number((c as HTMLElement).dataset.sortId);
    return order === 'newest-first' ? other < id : other > id;
  });
  list.insertBefore(el, before ?? null);
}
