/**
 * Map assets computed at build time from world-atlas (Natural Earth 4.1.0), never typed by hand.
 *
 * The home map draws the light 110m topology (~40 kB gzip). It has no polygon for 26 small States (and 50m none for
 * Tuvalu), and many more are a pixel or two wide, so the map draws them as circles at a point computed here from the
 * detailed 10m file: the centroid of each country's largest polygon (so Kiribati or France get a point on land,
 * not in the ocean between their islands). The result, keyed by ISO 3166 numeric / M49 code, is small (~6 kB)
 * and also serves future flow maps (exporter -> importer).
 *
 * Used by the Vite plugin in web/vite.config.ts (emitted as `map/centroids.json`); run directly to print it:
 *   npx tsx scripts/build-map-assets.ts > /tmp/centroids.json
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { geoArea, geoCentroid } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

export interface CentroidsAsset {
  source: string;
  /** M49 code ('004') -> [longitude, latitude], rounded to 0.01 degree. */
  centroids: Record<string, [number, number]>;
}

const require = createRequire(import.meta.url);

export function worldAtlasPath(
  file: 'countries-10m.json' | 'countries-50m.json' | 'countries-110m.json',
): string {
  return require.resolve(`world-atlas/${file}`);
}

/** Centroids of the largest polygon of every feature that has an id in the given TopoJSON. */
export function computeCentroids(topology: Topology): Record<string, [number, number]> {
  const countries = topology.objects.countries as GeometryCollection;
  const collection = feature(topology, countries);
  const result: Record<string, [number, number]> = {};
  for (const country of collection.features) {
    if (country.id === undefined || country.geometry === null) continue;
    const largest = largestPolygon(country as Feature<Polygon | MultiPolygon>);
    if (!largest) continue;
    const [lon, lat] = geoCentroid(largest);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    result[String(country.id)] = [round(lon), round(lat)];
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}

function largestPolygon(country: Feature<Polygon | MultiPolygon>): Feature<Polygon> | null {
  const geometry = country.geometry;
  const polygons =
    geometry.type === 'Polygon'
      ? [geometry.coordinates]
      : geometry.type === 'MultiPolygon'
        ? geometry.coordinates
        : [];
  let best: Feature<Polygon> | null = null;
  let bestArea = -1;
  for (const coordinates of polygons) {
    const candidate: Feature<Polygon> = {
      type: 'Feature',
      properties: {},
      geometry: { type: 'Polygon', coordinates },
    };
    const area = geoArea(candidate);
    // A ring wound the wrong way covers (nearly) the whole sphere: never the one we want.
    if (area < 2 * Math.PI && area > bestArea) {
      best = candidate;
      bestArea = area;
    }
  }
  return best;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export async function buildCentroidsAsset(): Promise<CentroidsAsset> {
  const topology = JSON.parse(await readFile(worldAtlasPath('countries-10m.json'), 'utf8')) as Topology;
  return {
    source:
      'world-atlas 2 countries-10m (Natural Earth 4.1.0, public domain): centroid of the largest polygon',
    centroids: computeCentroids(topology),
  };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.stdout.write(`${JSON.stringify(await buildCentroidsAsset())}\n`);
}
