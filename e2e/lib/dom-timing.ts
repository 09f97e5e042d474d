// Measures how long after a click in one page a condition becomes true in another, observed inside
// the pages (a capturing click listener, a MutationObserver: no polling interval and none of
// Playwright's actionability checks in the number). Both clocks are this machine's Date.now(). The
// condition must be false before the action; a reload loses the observer and fails the step.
import type { Page } from '@playwright/test';

export interface Condition {
  /** CSS selector; usually data-testid based (docs/ui-contract.md). */
  readonly selector: string;
  /** Exact trimmed text one of the matches must have; any match counts when omitted. */
  readonly text?: string;
  /** How many elements must match (default 1). */
  readonly minCount?: number;
  /** What the user should see, for the failure message: "alice's notification badge shows 1". */
  readonly describe: string;
}

type Outcome = { ok: true; at: number } | { ok: false; seen: string };

/** Installs the observer; returns its key. Throws if the condition already holds. */
function arm(page: Page, condition: Condition, timeoutMs: number): Promise<string> {
  return page.evaluate(
    ({ c, timeoutMs }) => {
      const state = () => {
        const all = [...document.querySelectorAll(c.selector)];
        const matching = c.text === undefined ? all : all.filter((e) => (e.textContent ?? '').trim() === c.text);
        const holds = matching.length >= (c.minCount ?? 1);
        const texts = all.slice(0, 5).map((e) => JSON.stringify((e.textContent ?? '').trim().slice(0, 60)));
        return { holds, seen: `${all.length} element(s) match ${c.selector}${texts.length ? `: ${texts.join(', ')}` : ''}` };
      };
      if (state().holds) throw new Error(`precondition: "${c.describe}" already holds before the action (${state().seen})`);
      const w = window as unknown as { __e2eWaits?: Record<string, Promise<Outcome>> };
      const key = `${Date.now()}-${Math.random()}`;
      (w.__e2eWaits ??= {})[key] = new Promise<Outcome>((resolve) => {
        const observer = new MutationObserver(() => {
          if (!state().holds) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve({ ok: true, at: Date.now() });
        });
        observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
        const timer = setTimeout(() => {
          observer.disconnect();
          resolve({ ok: false, seen: state().seen });
        }, timeoutMs);
      });
      return key;
    },
    { c: condition, timeoutMs },
  );
}

function outcome(page: Page, key: string): Promise<Outcome> {
  return page.evaluate((k) => {
    const w = window as unknown as { __e2eWaits?: Record<string, Promise<Outcome>> };
    const p = w.__e2eWaits?.[k];
    if (!p) throw new Error('the page was reloaded or navigated away while waiting for a realtime update');
    return p.finally(() => delete w.__e2eWaits![k]);
  }, key);
}

export interface Watch {
  readonly page: Page;
  readonly condition: Condition;
}

/** Remembers when the next click lands in `page` (the user's action, after Playwright's own checks). */
function armClick(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { __e2eClickAt?: number | null };
    w.__e2eClickAt = null;
    document.addEventListener('click', () => (w.__e2eClickAt ??= Date.now()), { capture: true, once: true });
  });
}

/**
 * Runs `action`, a click in `from`, and returns for each watch the ms from the click landing in the
 * page until the watch's condition holds in its page. Fails with each missed condition's description
 * and what its page showed instead.
 */
export async function msUntil(from: Page, watches: readonly Watch[], action: () => Promise<unknown>, timeoutMs: number): Promise<number[]> {
  const keys = await Promise.all(watches.map((w) => arm(w.page, w.condition, timeoutMs)));
  await armClick(from);
  const before = Date.now();
  await action();
  const results = await Promise.all(watches.map((w, i) => outcome(w.page, keys[i]!)));
  const clickAt = await from.evaluate(() => (window as unknown as { __e2eClickAt?: number | null }).__e2eClickAt ?? null);
  const missed = results.flatMap((r, i) => (r.ok ? [] : [`${watches[i]!.condition.describe}: not seen within ${timeoutMs} ms of the action, without a reload (${r.seen})`]));
  if (missed.length) throw new Error(missed.join('\n'));
  const t0 = clickAt ?? before;
  return results.map((r) => Math.max(0, (r as { at: number }).at - t0));
}
