// The journeys' fixtures: `cast` makes users (API signup) and signs them in through the UI, each in
// its own browser context; `journey` records step timings, attaches them for journeys.json and fails
// the test when a budgeted step's p95 is over its SLO.
import { test as base, expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { describeStep, OVER_BUDGET, summarizeStep } from '../../src/e2e/budgets.js';
import { msUntil, type Condition } from './dom-timing.js';

export const STEPS_ATTACHMENT = 'journey-steps';
/** How long a realtime update may take before the step fails outright (over budget is judged separately). */
export const UPDATE_TIMEOUT_MS = Number(process.env.E2E_UPDATE_TIMEOUT_MS || 5_000);

export interface RecordedStep {
  readonly name: string;
  readonly slo: string | null;
  readonly samples: number[];
}

export class Journey {
  private readonly steps = new Map<string, RecordedStep>();

  record(name: string, slo: string | null, ms: number): void {
    let step = this.steps.get(name);
    if (!step) this.steps.set(name, (step = { name, slo, samples: [] }));
    if (step.slo !== slo) throw new Error(`step "${name}" recorded against ${step.slo} and ${slo}`);
    step.samples.push(Math.round(ms));
  }

  /**
   * Runs `action`, a click in `from`, and times each expectation from the click: `{name, slo}` records
   * the ms until `condition` holds in `page`. A step with an SLO is budgeted by it; slo null records
   * an informational timing.
   */
  async measure(from: Page, action: () => Promise<unknown>, ...expectations: Array<{ name: string; slo: string | null; page: Page; condition: Condition }>): Promise<void> {
    const ms = await msUntil(from, expectations, action, UPDATE_TIMEOUT_MS);
    expectations.forEach((e, i) => this.record(e.name, e.slo, ms[i]!));
  }

  recorded(): RecordedStep[] {
    return [...this.steps.values()];
  }
}

export interface User {
  readonly id: number;
  readonly username: string;
  readonly password: string;
}

export interface Actor {
  readonly user: User;
  readonly context: BrowserContext;
  readonly page: Page;
  /** performance.timeOrigin after sign-in: a reload changes it. */
  readonly timeOrigin: number;
}

let seq = 0;

export class Cast {
  private readonly actors: Actor[] = [];
  constructor(
    private readonly browser: Browser,
    private readonly request: APIRequestContext,
    private readonly baseURL: string,
    private readonly journey: Journey,
  ) {}

  /** A new user through the API (the journeys start at login). */
  async user(prefix: string): Promise<User> {
    const username = `${prefix}_${Date.now().toString(36)}_${process.pid % 1000}_${++seq}`.slice(0, 32);
    const password = 'journey-password';
    const res = await this.request.post('/api/auth/signup', { data: { username, password } });
    expect(res.status(), `signup ${username}: ${await res.text()}`).toBe(201);
    return { id: (await res.json()).user.id, username, password };
  }

  /** Signs `user` in through the login page in a fresh browser context; waits for realtime. */
  async signIn(user: User): Promise<Actor> {
    const context = await this.browser.newContext({ baseURL: this.baseURL });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByTestId('login-username').fill(user.username);
    await page.getByTestId('login-password').fill(user.password);
    const t0 = Date.now();
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('current-user')).toHaveText(user.username);
    await expect(page.getByTestId('realtime-status'), `${user.username}: realtime channels connected`).toHaveAttribute('data-state', 'connected');
    this.journey.record('login until realtime connected', null, Date.now() - t0);
    const actor = { user, context, page, timeOrigin: await page.evaluate(() => performance.timeOrigin) };
    this.actors.push(actor);
    return actor;
  }

  /** Every update came without a reload: each page is still the document it signed in with. */
  async expectNoReloads(): Promise<void> {
    for (const a of this.actors) expect(await a.page.evaluate(() => performance.timeOrigin), `${a.user.username}'s page was reloaded`).toBe(a.timeOrigin);
  }

  async close(): Promise<void> {
    await Promise.all(this.actors.map((a) => a.context.close()));
  }
}

export const test = base.extend<{ journey: Journey; cast: Cast }>({
  journey: async ({}, use, testInfo) => {
    const journey = new Journey();
    await use(journey);
    const recorded = journey.recorded();
    await testInfo.attach(STEPS_ATTACHMENT, { body: JSON.stringify(recorded), contentType: 'application/json' });
    if (testInfo.status !== 'passed') return;
    const over = recorded.map((s) => summarizeStep(s.name, s.slo, s.samples)).filter((s) => !s.pass);
    if (over.length) throw new Error(`${over.length} step(s) ${OVER_BUDGET}: ${over.map(describeStep).join('; ')}`);
  },
  cast: async ({ browser, request, baseURL, journey }, use) => {
    const cast = new Cast(browser, request, baseURL!, journey);
    await use(cast);
    await cast.close();
  },
});

export { expect };

/** `[data-testid="x"]`, optionally with more attribute filters. */
export const tid = (id: string, attrs: Record<string, string | number> = {}) =>
  `[data-testid="${id}"]${Object.entries(attrs).map(([k, v]) => `[${k}="${v}"]`).join('')}`;
