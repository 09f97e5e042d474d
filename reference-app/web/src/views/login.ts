// /login: username and password; "Log in" or "Sign up".
import { authenticate } from '../api.js';
import { formValues, h } from '../dom.js';
import type { Session } from '../session.js';

export function loginView(root: HTMLElement, onSession: (s: Session) => void): void {
  const error = h('p', { class: 'error', testid: 'login-error', hidden: true });
  const f = h(
    'form',
    { testid: 'login-form' },
    h('input', {
      name: 'username',
      testid: 'login-username',
      placeholder: 'username',
      autocomplete: 'username',
      required: true,
    }),
    h('input', {
      name: 'password',
      type: 'password',
      testid: 'login-password',
      placeholder: 'password',
      autocomplete: 'current-password',
      required: true,
    }),
    h('button', { type: 'submit', value: 'login', testid: 'login-submit' }, 'Log in'),
    h('button', { type: 'submit', value: 'signup', testid: 'signup-submit' }, 'Sign up'),
    error,
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const kind = (ev.submitter as HTMLButtonElement | null)?.value === 'signup' ? 'signup' : 'login';
    const { username = '', password = '' } = formValues(f);
    error.hidden = true;
    authenticate(kind, username, password).then(onSession, (err: Error) => {
      error.textContent = err.message;
      error.hidden = false;
    });
  });
  root.replaceChildren(h('main', {}, h('h1', {}, 'Sign in'), f));
}
