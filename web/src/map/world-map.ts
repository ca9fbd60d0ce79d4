import { geoEqualEarth, geoPath, type GeoPath, type GeoProjection } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import topologyUrl from 'world-atlas/countries-110m.json?url';
import { s } from '../components/dom.js';

/**
 * The world map, drawn as SVG with d3-geo. Loaded on demand (this module and d3-geo are a separate chunk) and fed
 * the topology and centroids as fetched JSON, so the first page load stays small.
 *
 * Features are matched to States by UN M49 / ISO numeric code (world-atlas ids are zero-padded strings, '004').
 * Each State is one link (focusable, with an aria-label), either its polygon or, when it has none at this
 * resolution or is too small to see or click, a circle at a centroid computed at build time.
 */

export interface MapState {
  m49: string;
  name: string;
  status: string;
  href: string;
  /** Accessible name and tooltip lines. */
  label: string;
  details: string[];
}

export interface MapAssets {
  countries: FeatureCollection<Geometry, { name?: string }>;
  centroids: Record<string, [number, number]>;
}

export interface WorldMap {
  element: SVGSVGElement;
  update(states: readonly MapState[]): void;
  destroy(): void;
}

const WIDTH = 960;
/** A polygon smaller than this (in viewBox units squared, at 960 wide) also gets a circle: about 3 x 3 px on a desktop screen. */
const TINY_AREA = 10;
/** Circle radius in screen pixels, whatever the map's rendered size. */
const MARKER_PX = 4.5;
const ANTARCTICA = '010';

let assetsPromise: Promise<MapAssets> | null = null;

export function loadMapAssets(): Promise<MapAssets> {
  assetsPromise ??= Promise.all([
    fetchJson(topologyUrl),
    fetchJson(`${import.meta.env.BASE_URL}map/centroids.json`),
  ]).then(([topology, centroids]) => {
    const topo = topology as Topology;
    const countries = feature(topo, topo.objects.countries as GeometryCollection) as MapAssets['countries'];
    return { countries, centroids: (centroids as { centroids: MapAssets['centroids'] }).centroids };
  });
  assetsPromise.catch(() => (assetsPromise = null));
  return assetsPromise;
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

export function createWorldMap(
  container: HTMLElement,
  assets: MapAssets,
  titleId: string,
  descId: string,
): WorldMap {
  const features = assets.countries.features.filter((f) => f.id !== ANTARCTICA);
  const projection: GeoProjection = geoEqualEarth().fitWidth(WIDTH, { type: 'FeatureCollection', features });
  const path: GeoPath = geoPath(projection);
  const [[, top], [, bottom]] = path.bounds({ type: 'FeatureCollection', features });
  projection.translate([projection.translate()[0], projection.translate()[1] - top + 4]);
  const height = Math.ceil(bottom - top + 8);

  const svg = s('svg', {
    class: 'world-map',
    viewBox: `0 0 ${WIDTH} ${height}`,
    'aria-labelledby': titleId,
    'aria-describedby': descId,
    role: 'group',
  });
  const territories = s('g', { class: 'territories', 'aria-hidden': 'true' });
  const stateLayer = s('g', { class: 'states' });
  const markerLayer = s('g', { class: 'markers' });
  const highlight = s('g', { class: 'highlight', 'aria-hidden': 'true' });
  svg.append(territories, stateLayer, markerLayer, highlight);

  const tooltip = document.createElement('div');
  tooltip.className = 'map-tooltip';
  tooltip.setAttribute('aria-hidden', 'true');
  tooltip.hidden = true;
  container.append(svg, tooltip);

  const polygons = new Map<string, { feature: Feature; d: string; area: number }>();
  for (const f of features) {
    const d = path(f) ?? '';
    if (!d) continue;
    if (f.id === undefined) continue;
    polygons.set(String(f.id), { feature: f, d, area: path.area(f) });
  }
  // Features with no id (Kosovo, N. Cyprus, Somaliland at this scale) are drawn as areas not covered.
  const unmatched = (matched: Set<string>) =>
    features
      .filter((f) => f.id === undefined || !matched.has(String(f.id)))
      .map((f) => path(f) ?? '')
      .filter(Boolean);

  let shownKeys = '';
  const links = new Map<string, SVGAElement>();

  function build(states: readonly MapState[]): void {
    links.clear();
    const matched = new Set(states.map((st) => st.m49).filter((m) => polygons.has(m)));
    territories.replaceChildren(...unmatched(matched).map((d) => s('path', { d })));
    const sorted = [...states].sort((a, b) => a.name.localeCompare(b.name));
    const shapes: SVGAElement[] = [];
    const markers: SVGAElement[] = [];
    for (const st of sorted) {
      const polygon = polygons.get(st.m49);
      const centroid = assets.centroids[st.m49];
      const small = !polygon || polygon.area < TINY_AREA;
      if (polygon) {
        const shape = s('path', { d: polygon.d, id: `map-${st.m49}`, class: 'shape' });
        if (small) {
          // Drawn for context; the circle is the State's link.
          territories.append(s('path', { d: polygon.d, class: 'small-shape', 'data-for': st.m49 }));
        } else {
          const link = s('a', { 'data-m49': st.m49 }, shape);
          shapes.push(link);
          links.set(st.m49, link);
        }
      }
      if (small) {
        const point = centroid ? projection(centroid) : polygon ? path.centroid(polygon.feature) : null;
        if (!point || !Number.isFinite(point[0])) continue;
        const circle = s('circle', {
          cx: point[0].toFixed(1),
          cy: point[1].toFixed(1),
          r: MARKER_PX,
          id: `map-${st.m49}`,
          class: 'marker',
        });
        const link = s('a', { 'data-m49': st.m49, class: 'marker-link' }, circle);
        markers.push(link);
        links.set(st.m49, link);
      }
    }
    stateLayer.replaceChildren(...shapes);
    markerLayer.replaceChildren(...markers);
    resizeMarkers();
  }

  function update(states: readonly MapState[]): void {
    const keys = states
      .map((st) => st.m49)
      .sort()
      .join(',');
    if (keys !== shownKeys) {
      build(states);
      shownKeys = keys;
    }
    for (const st of states) {
      const link = links.get(st.m49);
      if (!link) continue;
      link.setAttribute('href', st.href);
      link.setAttribute('aria-label', st.label);
      link.dataset.status = st.status;
      link.dataset.name = st.name;
      link.dataset.details = st.details.join('\n');
      for (const small of territories.querySelectorAll<SVGPathElement>(`[data-for="${st.m49}"]`))
        small.dataset.status = st.status;
    }
    hideTooltip();
  }

  // --- hover and focus: highlight outline on top, and a tooltip ---
  function show(link: SVGAElement, clientX?: number, clientY?: number): void {
    const target = link.firstElementChild;
    if (!target) return;
    // Two strokes (a white halo under a dark line) keep the outline visible on every status colour.
    const kind = link.classList.contains('marker-link') ? 'hl-marker' : 'hl-shape';
    highlight.replaceChildren(
      s('use', { href: `#${target.id}`, class: `${kind} halo` }),
      s('use', { href: `#${target.id}`, class: kind }),
    );
    tooltip.replaceChildren();
    const name = document.createElement('strong');
    name.textContent = link.dataset.name ?? '';
    tooltip.append(name);
    for (const line of (link.dataset.details ?? '').split('\n').filter(Boolean)) {
      const p = document.createElement('span');
      p.textContent = line;
      tooltip.append(p);
    }
    tooltip.hidden = false;
    const box = container.getBoundingClientRect();
    const width = tooltip.offsetWidth;
    const height = tooltip.offsetHeight;
    let x: number;
    let y: number;
    let below: boolean;
    if (clientX !== undefined && clientY !== undefined) {
      // Pointer: above the cursor, out of the way of the hand.
      x = clientX - box.left;
      y = clientY - box.top;
      below = y - height - 12 < 0;
    } else {
      // Keyboard: below the State's main landmass (its centroid), so the outline stays visible.
      const point = anchorOf(link.dataset.m49 ?? '', target as SVGGraphicsElement);
      x = point[0] - box.left;
      y = point[1] - box.top;
      below = y + height + 16 <= box.height;
    }
    tooltip.style.left = `${Math.min(Math.max(x - width / 2, 4), box.width - width - 4)}px`;
    tooltip.style.top = `${below ? y + 22 : Math.max(y - height - 12, 4)}px`;
  }
  /** Screen position of a State's point: the centroid of its largest polygon, or the middle of its shape. */
  function anchorOf(m49: string, target: SVGGraphicsElement): [number, number] {
    const svgBox = svg.getBoundingClientRect();
    const centroid = assets.centroids[m49];
    const projected = centroid ? projection(centroid) : null;
    if (projected && target.tagName !== 'circle') {
      const scale = svgBox.width / WIDTH;
      return [svgBox.left + projected[0] * scale, svgBox.top + projected[1] * scale];
    }
    const r = target.getBoundingClientRect();
    return [r.left + r.width / 2, r.top + r.height / 2];
  }
  function hideTooltip(): void {
    tooltip.hidden = true;
    highlight.replaceChildren();
  }
  const linkOf = (event: Event) =>
    (event.target as Element | null)?.closest?.('a[data-m49]') as SVGAElement | null;
  const onMove = (event: PointerEvent) => {
    const link = linkOf(event);
    if (link) show(link, event.clientX, event.clientY);
    else hideTooltip();
  };
  const onFocus = (event: FocusEvent) => {
    const link = linkOf(event);
    if (link) show(link);
  };
  svg.addEventListener('pointermove', onMove);
  svg.addEventListener('pointerleave', hideTooltip);
  svg.addEventListener('focusin', onFocus);
  svg.addEventListener('focusout', hideTooltip);

  // Keep circles and outlines the same size on screen at any map width.
  function resizeMarkers(): void {
    const rendered = svg.getBoundingClientRect().width || WIDTH;
    const markerScale = WIDTH / rendered;
    for (const circle of markerLayer.querySelectorAll('circle'))
      circle.setAttribute('r', (MARKER_PX * Math.min(markerScale, 2.4)).toFixed(2));
  }
  const observer = new ResizeObserver(() => resizeMarkers());
  observer.observe(svg);

  return {
    element: svg,
    update,
    destroy() {
      observer.disconnect();
      svg.remove();
      tooltip.remove();
    },
  };
}
