/**
 * Queries of the hot paths, built and compiled by Kysely once (so each dialect gets its own SQL
 * and placeholders) and bound to new values at each call. Building a query costs more than
 * running it on SQLite.
 */
import type { Compilable, CompiledQuery } from 'kysely';

const MARK = '\u0000param:';

/** Stand-ins for the values of a query: `p.id` marks where the value named `id` goes. */
export type Params<N extends string> = Readonly<Record<N, never>>;

const standIns = new Proxy({} as Record<string, string>, {
  get: (_target, name) => `${MARK}${String(name)}`,
});

type Slot = { name: string } | { value: unknown };

export class Precompiled<N extends string, R> {
  private readonly compiled: CompiledQuery<R>;
  private readonly slots: readonly Slot[];

  constructor(build: (p: Params<N>) => Compilable<R>) {
    this.compiled = build(standIns as Params<N>).compile();
    this.slots = this.compiled.parameters.map((v) =>
      typeof v === 'string' && v.startsWith(MARK) ? { name: v.slice(MARK.length) } : { value: v },
    );
  }

  /** The SQL text, for a driver that prepares it once itself (the SQLite writer's hot path). */
  get sql(): string {
    return this.compiled.sql;
  }

  /** The parameters in placeholder order. */
  values(values: Readonly<Record<N, unknown>>): unknown[] {
    return this.slots.map((s) => ('name' in s ? values[s.name as N] : s.value));
  }

  bind(values: Readonly<Record<N, unknown>>): CompiledQuery<R> {
    return { ...this.compiled, parameters: this.values(values) };
  }
}
