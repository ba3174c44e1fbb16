/** The example dataflow, end to end on real data: built manifest -> driver -> DuckDB. */
import { readFileSync } from 'node:fs';
import { weatherCsv } from '../../nodes/weather/load.ts';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Builder, MemoryCacheStore, PersistentCache } from '../../engine/index.ts';
import weather from '../../dataflows/weather/manifest.generated.ts';

const csv = readFileSync(weatherCsv(), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));

describe('the weather dataflow', () => {
  it('computes the same figures as plain JavaScript over the CSV', async () => {
    const dr = await Builder().withDataflow(weather).withConfig({ units: 'metric' }).build();
    const out = await dr.execute(['monthlyWeather', 'weatherTypes', 'wettestMonth', 'lastWeekTempMax', 'report']);
    expectTypeOf(out.wettestMonth).toEqualTypeOf<string>();
    expectTypeOf(out.lastWeekTempMax).toEqualTypeOf<number>();

    const months = new Map<string, number>();
    for (const [date, p] of csv) months.set(date.slice(0, 7), (months.get(date.slice(0, 7)) ?? 0) + Number(p));
    const wettest = [...months].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    expect(out.monthlyWeather).toHaveLength(months.size);
    expect(out.wettestMonth).toBe(wettest);
    const lastWeek = csv.slice(-7).reduce((s, r) => s + Number(r[2]), 0) / 7;
    expect(out.lastWeekTempMax).toBeCloseTo(lastWeek, 2);
    const sun = csv.filter((r) => r[5] === 'sun').length;
    expect(out.weatherTypes.find((t) => t.weather === 'sun')?.days).toBe(sun);
    expect(out.report).toMatch(new RegExp(`wettest month ${wettest}.*°C\\.$`));
  });

  it('selects the @when variant by config and runs by tag', async () => {
    const dr = await Builder().withDataflow(weather).withConfig({ units: 'imperial' }).build();
    expect((await dr.execute(['unit'])).unit).toBe('°F');
    expect((await dr.execute(['report'])).report).toMatch(/°F\.$/);
    const tagged = dr.listVariables({ tags: { stage: 'aggregate' } }).map((v) => v.name).sort();
    expect(tagged).toEqual(['lastMonthTempMax', 'lastWeekTempMax', 'monthlyWeather', 'weatherTypes']);
  });

  it('caches everything but the connection', async () => {
    const store = new MemoryCacheStore();
    const build = () => Builder().withDataflow(weather).withConfig({ units: 'metric' }).withCache(new PersistentCache({ store })).build();
    await (await build()).execute(['report']);
    const res = await (await build()).run(['report']);
    expect(res.status).toBe('completed');
    const cached = res.nodes.filter((n) => n.cacheHit).map((n) => n.node);
    expect(cached).toContain('report');
    expect(res.nodes.filter((n) => !n.cacheHit).map((n) => n.node)).toEqual(['weatherDb']);
  });
});
