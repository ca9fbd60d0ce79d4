import { geoEqualEarth, geoPath } from 'd3-geo';
import { s } from '../components/dom.js';
import type { MapAssets } from './world-map.js';

export { loadMapAssets } from './world-map.js';

/**
 * A flow map: lines from each exporter to each importer (great-circle arcs on an Equal Earth projection), their width
 * by weight, drawn with d3-geo over the same world-atlas topology as the home map. Each line is a link (to the
 * transfers of that pair) with an accessible name; the table next to the map lists the same flows as text.
 */

export interface Flow {
  id: string;
  from: [number, number];
  to: [number, number];
  weight: number;
  href: string;
  label: string;
}

export interface FlowMap {
  element: SVGSVGElement;
  update(flows: readonly Flow[]): void;
  destroy(): void;
}

const WIDTH = 960;
const ANTARCTICA = '010';

export function createFlowMap(
  container: HTMLElement,
  assets: MapAssets,
  titleId: string,
  descId: string,
): FlowMap {
  const features = assets.countries.features.filter((f) => f.id !== ANTARCTICA);
  const projection = geoEqualEarth().fitWidth(WIDTH, { type: 'FeatureCollection', features });
  const path = geoPath(projection);
  const [[, top], [, bottom]] = path.bounds({ type: 'FeatureCollection', features });
  projection.translate([projection.translate()[0], projection.translate()[1] - top + 4]);
  const height = Math.ceil(bottom - top + 8);

  const svg = s('svg', {
    class: 'flow-map',
    viewBox: `0 0 ${WIDTH} ${height}`,
    'aria-labelledby': titleId,
    'aria-describedby': descId,
    role: 'group',
  });
  const defs = s(
    'defs',
    {},
    s(
      'marker',
      {
        id: 'flow-arrow',
        viewBox: '0 0 10 10',
        refX: '9',
        refY: '5',
        markerWidth: '14',
        markerHeight: '14',
        markerUnits: 'userSpaceOnUse',
        orient: 'auto',
      },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'flow-arrow' }),
    ),
  );
  const land = s(
    'g',
    { class: 'land', 'aria-hidden': 'true' },
    ...features.map((f) => s('path', { d: path(f) ?? '' })),
  );
  const lines = s('g', { class: 'flows' });
  const points = s('g', { class: 'flow-points', 'aria-hidden': 'true' });
  svg.append(defs, land, lines, points);
  container.append(svg);

  /**
   * A curved line between the projected points (a flow map's usual arc, bending to the left of its direction), so a
   * line never wraps around the map's edge as a great circle across the date line would.
   */
  function arc(from: [number, number], to: [number, number]): string {
    const a = projection(from);
    const b = projection(to);
    if (!a || !b) return '';
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    const bend = 0.2;
    const cx = (a[0] + b[0]) / 2 + dy * bend;
    const cy = (a[1] + b[1]) / 2 - dx * bend;
    return `M${a[0].toFixed(1)},${a[1].toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${b[0].toFixed(1)},${b[1].toFixed(1)}`;
  }

  function update(flows: readonly Flow[]): void {
    const max = Math.max(1, ...flows.map((f) => f.weight));
    // Thin lines on top, so that a thick one never hides them.
    const sorted = [...flows].sort((a, b) => b.weight - a.weight);
    const ends = new Map<string, { point: [number, number]; kind: 'from' | 'to' }>();
    lines.replaceChildren(
      ...sorted.map((flow) => {
        const d = arc(flow.from, flow.to);
        ends.set(flow.from.join(','), { point: flow.from, kind: 'from' });
        if (!ends.has(flow.to.join(','))) ends.set(flow.to.join(','), { point: flow.to, kind: 'to' });
        const width = 1.2 + 7 * Math.sqrt(flow.weight / max);
        return s(
          'a',
          { href: flow.href, 'aria-label': flow.label, 'data-flow': flow.id },
          s('title', {}, flow.label),
          s('path', { d, class: 'flow-hit' }),
          s('path', {
            d,
            class: 'flow-line',
            style: `stroke-width:${width.toFixed(2)}px`,
            'marker-end': 'url(#flow-arrow)',
          }),
        );
      }),
    );
    points.replaceChildren(
      ...[...ends.values()].flatMap(({ point, kind }) => {
        const [x, y] = projection(point) ?? [NaN, NaN];
        return Number.isFinite(x)
          ? [
              s('circle', {
                cx: x.toFixed(1),
                cy: y.toFixed(1),
                r: kind === 'from' ? 4 : 2.5,
                class: `end-${kind}`,
              }),
            ]
          : [];
      }),
    );
  }

  return {
    element: svg,
    update,
    destroy() {
      svg.remove();
    },
  };
}
