/** `/connectors/{name}/offsets`: read, alter and reset a connector's offsets. */
import type { OffsetEntry, OffsetsService } from '../control/offsets-service.ts';
import { BadInputError } from './api-errors.ts';
import type { ApiRouter } from './api-router.ts';
import { jsonBody } from './request-parsing.ts';

const NONE_GIVEN = 'Partitions / offsets need to be provided for an alter offsets request';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The body of PATCH offsets, Connect's ConnectorOffsets: `{"offsets": [{"partition": {...}, "offset": {...} | null}]}`. */
export function offsetsBody(body: unknown): OffsetEntry[] {
  if (!isObject(body)) throw new BadInputError('The request body must be a JSON object: {"offsets": [{"partition": {...}, "offset": {...}}]}');
  for (const k of Object.keys(body)) if (k !== 'offsets') throw new BadInputError(`Unrecognized field "${k}" (known properties: "offsets")`);
  const { offsets } = body;
  if (offsets === undefined || offsets === null) throw new BadInputError(NONE_GIVEN);
  if (!Array.isArray(offsets)) throw new BadInputError('"offsets" must be a JSON array of {"partition": {...}, "offset": {...}} objects');
  return offsets.map((o: unknown, i) => {
    if (!isObject(o)) throw new BadInputError(`offsets[${i}] must be a JSON object with "partition" and "offset"`);
    for (const k of Object.keys(o)) if (k !== 'partition' && k !== 'offset') throw new BadInputError(`Unrecognized field "${k}" in offsets[${i}] (known properties: "partition", "offset")`);
    const { partition, offset } = o;
    if (partition !== undefined && partition !== null && !isObject(partition)) throw new BadInputError(`offsets[${i}].partition must be a JSON object`);
    if (offset !== undefined && offset !== null && !isObject(offset)) throw new BadInputError(`offsets[${i}].offset must be a JSON object or null`);
    return { partition: (partition as Record<string, unknown> | undefined) ?? null, offset: (offset as Record<string, unknown> | undefined) ?? null };
  });
}

export function registerOffsetsRoutes(router: ApiRouter, offsets: OffsetsService): void {
  router.on('GET', '/connectors/{name}/offsets', async (_req, p) => ({ status: 200, body: await offsets.get(p.name as string) }));
  router.on('PATCH', '/connectors/{name}/offsets', async (req, p) => ({ status: 200, body: await offsets.alter(p.name as string, offsetsBody(jsonBody(req))) }));
  router.on('DELETE', '/connectors/{name}/offsets', async (_req, p) => ({ status: 200, body: await offsets.reset(p.name as string) }));
}
