/**
 * `/tributary/metrics/connectors/{name}?range=15m|1h|6h|24h`: a connector's chart series
 * (records in and out per second, errors, DLQ records, commit latency, a sink's lag per
 * partition), from whichever metrics source the deployment plugs in.
 */
import type { ConnectorService } from '../control/connector-service.ts';
import { BadInputError } from './api-errors.ts';
import type { ApiRouter } from './api-router.ts';
import { isMetricRange, METRIC_RANGES, type MetricsSource } from './metrics-source.ts';

const RANGES = Object.keys(METRIC_RANGES).join(', ');

export function registerMetricsRoutes(router: ApiRouter, control: ConnectorService, source: MetricsSource, now: () => number = Date.now): void {
  router.on('GET', '/tributary/metrics/connectors/{name}', async (req, p) => {
    const name = p.name as string;
    const given = req.query.range;
    if (given && given.length > 1) throw new BadInputError('Give the range once');
    const range = given?.[0] ?? '15m';
    if (!isMetricRange(range)) throw new BadInputError(`Unknown range '${range.slice(0, 20)}'; use one of ${RANGES}`);
    await control.cachedState(name);
    const { stepSeconds, series } = await source.connectorSeries({ connector: name, range, now: now() });
    return { status: 200, body: { connector: name, range, stepSeconds, series } };
  });
}
