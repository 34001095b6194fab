// Work leases shared by the note queue and evaluation runs (columns: leaseColumns() in ../columns.ts).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** Who claims and for how long: the worker's id and its lease length. */
export interface Lease {
  workerId: string;
  leaseMs: number;
}

/** The end of a lease taken or renewed now, on the database's clock (workers' clocks may differ). */
export const leaseEnd = (leaseMs: number): SQL => sql`now() + ${Math.max(1, Math.round(leaseMs))}::int * interval '1 millisecond'`;

/** No live lease: never taken, or its holder stopped renewing it (it died or hung). */
export const leaseExpired = (lockedUntil: PgColumn): SQL => or(isNull(lockedUntil), lt(lockedUntil, sql`now()`))!;

export const unlocked = { lockedBy: null, lockedUntil: null };

/** A worker name that tells operators which host and process holds a row. */
export const newWorkerId = () => `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
