/**
 * The dashboard's three charts, created once and updated in place (live progress redraws without
 * animation). Only the Chart.js parts used here are registered, which keeps the bundle small.
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { Comparison, DayPoint, MonthBar, ProjectionView } from '../protocol';
import { readTheme, withAlpha, type Theme } from './theme';

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Filler, LinearScale, LineController, LineElement, PointElement, Tooltip);

export interface Formatters {
  number: (n: number) => string;
  monthShort: (month: string) => string;
  monthLong: (month: string) => string;
  day: (date: string) => string;
  t: (key: string, ...values: (string | number)[]) => string;
  /** `1 user` or `12 users`: the strings table's keys for one and for many. */
  count: (n: number, one: string, many: string) => string;
}

export class DashboardCharts {
  private theme: Theme = readTheme();
  private months?: Chart<'bar'>;
  private daily?: Chart<'line'>;
  private split?: Chart<'doughnut'>;
  private cumulative?: Chart<'line'>;
  private bars: MonthBar[] = [];
  private splitCounted = false;

  constructor(
    private readonly canvases: { months: HTMLCanvasElement; daily: HTMLCanvasElement; split: HTMLCanvasElement; cumulative: HTMLCanvasElement },
    private readonly f: Formatters,
    private readonly onPickMonth: (month: string) => void,
  ) {}

  /**
   * Fits every chart to its box again. Chart.js follows its box with a ResizeObserver; this is for a
   * window resize that lands while a chart is being built again (a theme change), which it can miss.
   */
  resize(): void {
    for (const chart of [this.months, this.daily, this.split, this.cumulative]) chart?.resize();
  }

  /** Re-reads the theme's colours and redraws everything with them. */
  retheme(): void {
    this.theme = readTheme();
    Chart.defaults.color = this.theme.foreground;
    Chart.defaults.font.family = this.theme.fontFamily;
    for (const chart of [this.months, this.daily, this.split, this.cumulative]) chart?.destroy();
    this.months = this.daily = this.split = this.cumulative = undefined;
  }

  showMonths(bars: MonthBar[], selected: string | undefined, animate: boolean): void {
    this.bars = bars;
    const { primary, partial, muted } = this.theme;
    const colours = bars.map((b) => (b.live ? withAlpha(primary, 0.35) : b.complete ? primary : partial));
    const labels = bars.map((b) => `${this.f.monthShort(b.month)}${b.complete || b.live ? '' : ' *'}`);
    // The axis labels as drawn, for tests and tools that cannot read a canvas (text in an attribute, never HTML).
    this.canvases.months.dataset.labels = JSON.stringify(labels);
    const data = {
      labels,
      datasets: [
        {
          data: bars.map((b) => b.mau),
          backgroundColor: colours,
          // The selected month is outlined, so the bar chart doubles as a month picker.
          borderColor: bars.map((b) => (b.month === selected ? this.theme.foreground : 'transparent')),
          borderWidth: 2,
          borderRadius: 3,
          maxBarThickness: 56,
        },
      ],
    };
    if (!this.months) {
      const config: ChartConfiguration<'bar'> = {
        type: 'bar',
        data,
        options: {
          ...this.common(),
          onClick: (_e, elements) => {
            const bar = elements[0] && this.bars[elements[0].index];
            if (bar && !bar.live) this.onPickMonth(bar.month);
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: (items) => this.f.monthLong(this.bars[items[0]?.dataIndex ?? 0]?.month ?? ''),
                label: (item) => {
                  const bar = this.bars[item.dataIndex];
                  const value = `${this.f.number(item.parsed.y ?? 0)} ${this.f.t('mau')}`;
                  if (bar?.live) return `${value} (${this.f.t('liveBar')})`;
                  return bar && !bar.complete ? [value, this.f.t('partialNote', bar.partialReason ?? '')] : value;
                },
              },
            },
          },
          scales: this.scales(muted),
        },
      };
      this.months = new Chart(this.canvases.months, config);
    } else {
      this.months.data = data;
      this.months.update(animate ? undefined : 'none');
    }
  }

  showDaily(points: DayPoint[]): void {
    const { secondary } = this.theme;
    const data = {
      labels: points.map((p) => String(Number(p.date.slice(8, 10)))),
      datasets: [
        {
          data: points.map((p) => p.users),
          borderColor: secondary,
          backgroundColor: withAlpha(secondary, 0.18),
          fill: true,
          tension: 0.25,
          pointRadius: points.length > 20 ? 2 : 3,
          pointHoverRadius: 5,
        },
      ],
    };
    if (!this.daily) {
      this.daily = new Chart(this.canvases.daily, {
        type: 'line',
        data,
        options: {
          ...this.common(),
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: (items) => this.f.day(points[items[0]?.dataIndex ?? 0]?.date ?? ''),
                label: (item) => this.f.count(item.parsed.y ?? 0, 'userOne', 'userMany'),
              },
            },
          },
          scales: this.scales(this.theme.muted),
        },
      });
    } else {
      this.daily.data = data;
      // Tooltip callbacks close over `points`: rebuild them with the new ones.
      this.daily.options.plugins!.tooltip!.callbacks!.title = (items) => this.f.day(points[items[0]?.dataIndex ?? 0]?.date ?? '');
      this.daily.update();
    }
  }

  /**
   * The month's distinct users day by day; for a month counted to date, carried on to the month's end
   * as a dashed line (the projection) inside a shaded band (its range), from the last day counted.
   */
  showCumulative(month: string, points: DayPoint[], projection: ProjectionView | undefined): void {
    const { primary, accent } = this.theme;
    const curve = projection?.kind === 'projected' ? projection.curve.filter((p) => p.date > (points.at(-1)?.date ?? '')) : [];
    const dates = [...points.map((p) => p.date), ...curve.map((p) => p.date)];
    const last = points.length - 1;
    // The projection starts from the last day counted, so the dashed line continues the solid one.
    const from = (value: (p: (typeof curve)[number]) => number): (number | null)[] =>
      curve.length === 0 ? [] : [...points.map((p, i) => (i === last ? p.users : null)), ...curve.map(value)];
    const data = {
      labels: dates.map((d) => String(Number(d.slice(8, 10)))),
      datasets: [
        { data: points.map((p) => p.users), borderColor: primary, backgroundColor: withAlpha(primary, 0.18), fill: false, tension: 0.2, pointRadius: 0, pointHoverRadius: 4, order: 1 },
        { data: from((p) => p.high), borderColor: 'transparent', backgroundColor: withAlpha(accent, 0.16), fill: '+1', pointRadius: 0, pointHoverRadius: 0, order: 3 },
        { data: from((p) => p.low), borderColor: 'transparent', backgroundColor: 'transparent', fill: false, pointRadius: 0, pointHoverRadius: 0, order: 3 },
        { data: from((p) => p.estimate), borderColor: accent, borderDash: [6, 4], backgroundColor: 'transparent', fill: false, tension: 0.2, pointRadius: 0, pointHoverRadius: 4, order: 2 },
      ],
    };
    const title = (index: number) => this.f.day(dates[index] ?? '');
    const label = (datasetIndex: number, value: number) => {
      if (datasetIndex === 0) return this.f.count(value, 'userOne', 'userMany');
      const range = curve.find((p) => p.estimate === value);
      return datasetIndex === 3 ? `${this.f.t('projected')}: ≈ ${this.f.number(value)}${range ? ` (${this.f.number(range.low)}–${this.f.number(range.high)})` : ''}` : '';
    };
    if (!this.cumulative) {
      this.cumulative = new Chart(this.canvases.cumulative, {
        type: 'line',
        data,
        options: {
          ...this.common(),
          interaction: { mode: 'index', intersect: false },
          plugins: {
            legend: { display: false },
            tooltip: {
              filter: (item) => item.datasetIndex === 0 || (item.datasetIndex === 3 && item.dataIndex > last),
              callbacks: { title: (items) => title(items[0]?.dataIndex ?? 0), label: (item) => label(item.datasetIndex, item.parsed.y ?? 0) },
            },
          },
          scales: this.scales(this.theme.muted),
        },
      });
    } else {
      this.cumulative.data = data;
      const tooltip = this.cumulative.options.plugins!.tooltip!;
      tooltip.filter = (item) => item.datasetIndex === 0 || (item.datasetIndex === 3 && item.dataIndex > last);
      tooltip.callbacks!.title = (items) => title(items[0]?.dataIndex ?? 0);
      tooltip.callbacks!.label = (item) => label(item.datasetIndex, item.parsed.y ?? 0);
      this.cumulative.update();
    }
    this.canvases.cumulative.dataset.month = month;
    this.canvases.cumulative.dataset.projectedPoints = String(curve.length);
  }

  showSplit(comparison: Comparison | undefined): void {
    const counted = comparison?.counted === true;
    this.splitCounted = counted;
    // Without the previous month there is no split: a plain ring in the muted colour keeps the
    // panel from looking broken; the note above the charts says why, and it has no tooltip.
    const values = counted ? [comparison.newUsers, comparison.returning] : [1];
    const colours = counted ? [this.theme.secondary, this.theme.accent] : [withAlpha(this.theme.muted, 0.25)];
    const data = {
      labels: counted ? [this.f.t('newUsers'), this.f.t('returning')] : [''],
      datasets: [{ data: values, backgroundColor: colours, borderColor: this.theme.background, borderWidth: counted ? 2 : 0 }],
    };
    if (!this.split) {
      this.split = new Chart(this.canvases.split, {
        type: 'doughnut',
        data,
        options: {
          ...this.common(),
          cutout: '62%',
          plugins: {
            legend: { display: false },
            tooltip: {
              filter: () => this.splitCounted,
              callbacks: { label: (item) => `${item.label}: ${this.f.number(Number(item.raw))}` },
            },
          },
        },
      });
    } else {
      this.split.data = data;
      this.split.update();
    }
  }

  private common() {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: { duration: 300 },
      font: { family: this.theme.fontFamily, size: this.theme.fontSize },
    } as const;
  }

  private scales(muted: string) {
    const grid = { color: withAlpha(this.theme.grid, 0.6) };
    return {
      x: { grid: { display: false }, ticks: { color: muted } },
      y: { beginAtZero: true, grid, border: { display: false }, ticks: { color: muted, precision: 0, callback: (v: string | number) => this.f.number(Number(v)) } },
    };
  }
}
