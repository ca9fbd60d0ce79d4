import { t } from '../i18n/index.js';
import { h, uid } from './dom.js';

export type PlotModule = typeof import('@observablehq/plot');

let plotPromise: Promise<PlotModule> | null = null;

/** Observable Plot (with d3) is a chunk of its own, loaded the first time a page draws a chart. */
export function loadPlot(): Promise<PlotModule> {
  plotPromise ??= import('@observablehq/plot');
  plotPromise.catch(() => (plotPromise = null));
  return plotPromise;
}

export interface ChartFigure {
  element: HTMLElement;
  /** Draws the chart: `build` gets Plot and the width available, and returns Plot's SVG or figure. */
  draw(build: (plot: PlotModule, width: number) => Element): void;
  /** A message instead of a chart (no data, not available yet). */
  message(content: Node | string): void;
}

/**
 * A chart with a heading-level title, a text description (what the chart shows, in words), the chart drawn by
 * Observable Plot once it is loaded, and slots for the data table and the download and citation below it.
 */
export function chartFigure(options: {
  title: string;
  description: string;
  table?: Node | null;
  actions?: Node | null;
}): ChartFigure {
  const descId = uid('chart-desc');
  const canvas = h(
    'div',
    { class: 'chart-canvas', role: 'img', 'aria-label': options.title, 'aria-describedby': descId },
    h('p', { class: 'chart-status' }, t('chart.loading')),
  );
  const element = h(
    'figure',
    { class: 'chart-figure' },
    canvas,
    h(
      'figcaption',
      {},
      h('p', { id: descId, class: 'chart-desc' }, options.description),
      options.table
        ? h('details', { class: 'chart-data' }, h('summary', {}, t('chart.showData')), options.table)
        : null,
      options.actions ?? null,
    ),
  );
  let request = 0;
  return {
    element,
    draw(build) {
      const mine = ++request;
      loadPlot()
        .then((plot) => {
          if (mine !== request) return;
          const width = Math.max(280, Math.min(canvas.clientWidth || 640, 960));
          const chart = build(plot, width);
          // The description and the table below say what the chart shows; its marks are not read one by one.
          chart.setAttribute('aria-hidden', 'true');
          canvas.replaceChildren(chart);
        })
        .catch(() => {
          if (mine === request) canvas.replaceChildren(h('p', { class: 'chart-status' }, t('chart.error')));
        });
    },
    message(content) {
      request += 1;
      canvas.removeAttribute('role');
      canvas.removeAttribute('aria-label');
      canvas.replaceChildren(h('p', { class: 'chart-status' }, content));
    },
  };
}

/**
 * Labels for a band scale of years that do not overlap at the chart's width: every year, or every 2nd, 5th or 10th
 * (about 36 px per label).
 */
export function yearTickFormat(years: readonly number[], width: number): (d: number) => string {
  const span = years.length ? Math.max(...years) - Math.min(...years) + 1 : 1;
  const fits = Math.max(1, Math.floor(width / 36));
  const every = [1, 2, 5, 10, 20].find((n) => Math.ceil(span / n) <= fits) ?? 25;
  return (d: number) => (d % every === 0 ? String(d) : '');
}
