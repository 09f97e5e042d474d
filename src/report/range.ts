// The range a report chart queries: window and step chosen from the run's length and Prometheus's
// scrape interval, so a 20 s smoke run and a 2 h soak both draw their data. A rate() window needs
// several scrapes in it (>= 4 intervals), and the run's last samples reach Prometheus up to one scrape
// (plus one rule evaluation) after the load stops, so the range runs past the run's end by that lag.

export interface RunWindow {
  readonly start: Date;
  readonly end: Date;
}

export interface ScrapeSettings {
  readonly scrapeSeconds: number;
  readonly evaluationSeconds: number;
  /** Where the numbers came from, shown under the charts. */
  readonly source: string;
}

export interface RangePlan {
  readonly run: RunWindow;
  /** The queried range: the run, then `lagSeconds` after it. */
  readonly start: Date;
  readonly end: Date;
  readonly stepSeconds: number;
  /** The `[...]` range of every rate() in the chart queries. */
  readonly windowSeconds: number;
  readonly lagSeconds: number;
  readonly scrape: ScrapeSettings;
}

/** About this many points across the run: enough for a smooth line, few enough for a light page. */
const POINTS = 240;
/** rate() needs two samples; four scrape intervals keep a missed scrape from blanking the line. */
const SCRAPES_PER_WINDOW = 4;

export function planRange(run: RunWindow, scrape: ScrapeSettings): RangePlan {
  const runSeconds = Math.max(1, (run.end.getTime() - run.start.getTime()) / 1000);
  const stepSeconds = Math.max(1, Math.ceil(runSeconds / POINTS));
  const windowSeconds = Math.ceil(Math.max(SCRAPES_PER_WINDOW * scrape.scrapeSeconds, 2 * stepSeconds));
  const lagSeconds = Math.ceil(scrape.scrapeSeconds + scrape.evaluationSeconds);
  return {
    run,
    start: run.start,
    end: new Date(run.end.getTime() + lagSeconds * 1000),
    stepSeconds,
    windowSeconds,
    lagSeconds,
    scrape,
  };
}
