import { parse, protocol, type messages, type PGlite, type QueryOptions, type Results } from '@electric-sql/pglite';

/** Statements kept prepared per PGlite instance; the least recently used is closed beyond this. */
export const MAX_PREPARED = 256;
/** A plan invalidated by a schema change, or a statement the session no longer has: prepared again once. */
const REPREPARE_CODES = new Set(['0A000', '26000']);
/** Commands whose completion tag counts written rows (PGlite's own parseResults reports these as affectedRows). */
const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE']);

interface Prepared {
  name: string;
  paramTypes: number[];
  /** The result's columns as described at Parse (none for a statement that returns no rows): not asked for again per call. */
  columns: messages.RowDescriptionMessage | undefined;
}
interface PgliteInternals {
  _checkReady(): Promise<void>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  serializers: Record<number, (v: unknown) => string>;
  parsers: Record<number, (v: string, typeId?: number) => unknown>;
}

const { serialize } = protocol;
type Parsers = PgliteInternals['parsers'];

/**
 * The first result of a batch's messages, shaped as PGlite's own parseResults shapes it. That one merges the
 * whole parser table into a new object on every query (drizzle always passes parsers): a tenth of the
 * server's time under the review load. Here each column's parser is looked up once per result.
 */
export function firstResult<T>(batch: messages.BackendMessage[], parsers: Parsers, options: QueryOptions | undefined, columns?: messages.RowDescriptionMessage): Results<T> {
  const own = options?.parsers as Parsers | undefined;
  const asArray = options?.rowMode === 'array';
  let fields: { name: string; dataTypeID: number }[] = [];
  let columnParsers: (((v: string, typeId?: number) => unknown) | undefined)[] = [];
  const describe = (d: messages.RowDescriptionMessage) => {
    fields = d.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
    columnParsers = fields.map((f) => own?.[f.dataTypeID] ?? parsers[f.dataTypeID]);
  };
  if (columns) describe(columns);
  const rows: unknown[] = [];
  for (const m of batch) {
    if (m.name === 'rowDescription') {
      describe(m as messages.RowDescriptionMessage);
    } else if (m.name === 'dataRow') {
      const values = (m as messages.DataRowMessage).fields;
      const parsed = values.map((v, i) => (v === null ? null : columnParsers[i] ? columnParsers[i]!(v, fields[i]!.dataTypeID) : v));
      if (asArray) rows.push(parsed);
      else {
        const row: Record<string, unknown> = {};
        for (let i = 0; i < fields.length; i++) row[fields[i]!.name] = parsed[i];
        rows.push(row);
      }
    } else if (m.name === 'commandComplete') {
      const words = (m as messages.CommandCompleteMessage).text.split(' ');
      const command = words[0]!;
      const count = Number.parseInt(words[words.length - 1]!, 10);
      const affectedRows = WRITE_COMMANDS.has(command) ? count : 0;
      return { rows, fields, command, affectedRows, ...(Number.isNaN(count) ? {} : { rowCount: count }) } as Results<T>;
    }
  }
  return { affectedRows: 0, rows: [], fields: [] } as Results<T>;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The PGlite client with its `query` run as named prepared statements, as postgres.js does on PostgreSQL:
 * a statement text is parsed and described once, later calls send Bind, Execute and Sync in one batch
 * (one call into the database instead of six) and reuse its plan and its result description. Same results, errors and locking
 * as PGlite's own `query` (the transaction and query mutexes); transactions, `exec`, blobs and explicit
 * parameter types keep PGlite's own path.
 */
export function preparedClient(pg: PGlite): PGlite {
  const inner = pg as unknown as PgliteInternals;
  const statements = new Map<string, Prepared>();
  let counter = 0;

  /** Parse + Describe once; evicts (closes) the least recently used statement past MAX_PREPARED. */
  const prepare = async (text: string): Promise<Prepared> => {
    const name = `medcode_${++counter}`;
    const { messages } = await pg.execProtocol(concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]));
    const columns = messages.find((m): m is messages.RowDescriptionMessage => m.name === 'rowDescription');
    const prepared = { name, paramTypes: parse.parseDescribeStatementResults(messages), columns };
    statements.set(text, prepared);
    if (statements.size > MAX_PREPARED) {
      const [oldText, old] = statements.entries().next().value!;
      statements.delete(oldText);
      await pg.execProtocol(concat([serialize.close({ type: 'S', name: old.name }), serialize.sync()]));
    }
    return prepared;
  };

  const run = async <T>(text: string, params: unknown[], options: QueryOptions | undefined, retried = false): Promise<Results<T>> => {
    let prepared = statements.get(text);
    try {
      if (prepared) {
        // Most recently used last: Map order is the eviction order.
        statements.delete(text);
        statements.set(text, prepared);
      } else {
        prepared = await prepare(text);
      }
      const types = prepared.paramTypes;
      const values = params.map((v, i) => {
        if (v == null) return null;
        const serializer = options?.serializers?.[types[i]!] ?? inner.serializers[types[i]!];
        return serializer ? serializer(v) : String(v);
      });
      const { messages } = await pg.execProtocol(
        concat([serialize.bind({ statement: prepared.name, values: values as string[] }), serialize.execute({}), serialize.sync()]),
      );
      return firstResult<T>(messages, inner.parsers, options, prepared.columns);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!retried && prepared && code && REPREPARE_CODES.has(code)) {
        statements.delete(text);
        await pg.execProtocol(concat([serialize.close({ type: 'S', name: prepared.name }), serialize.sync()]));
        return run(text, params, options, true);
      }
      // As PGlite's own query does: the failing statement and its parameters travel with the error.
      if (err instanceof Error) Object.assign(err, { query: text, params, queryOptions: options });
      throw err;
    }
  };

  const query = async <T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> => {
    if (options?.blob || options?.paramTypes) return pg.query<T>(text, params, options);
    await inner._checkReady();
    return inner._runExclusiveTransaction(() => inner._runExclusiveQuery(() => run<T>(text, params, options)));
  };

  return new Proxy(pg, {
    get(target, prop) {
      if (prop === 'query') return query;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
