// A request's params as signal-cli reads them (JsonRpcNamespace): camelCase names (dash-separated
// ones work too), and a parameter that takes several values may be one value or an array, under its
// name or its plural ("recipient": "+1…" or "recipients": ["+1…", "+2…"]).
import { INVALID_PARAMS, RpcError, USER_ERROR } from './protocol.js';

export class Params {
  private constructor(private readonly values: Record<string, unknown>) {}

  /** Methods take an object (or nothing); a positional array is an invalid-params error. */
  static of(raw: Record<string, unknown> | unknown[] | undefined, method: string): Params {
    if (Array.isArray(raw)) throw new RpcError(INVALID_PARAMS, `${method} takes its params as an object, not an array`);
    return new Params(raw ?? {});
  }

  get(name: string): unknown {
    if (Object.hasOwn(this.values, name)) return this.values[name];
    const dashed = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    return dashed !== name && Object.hasOwn(this.values, dashed) ? this.values[dashed] : undefined;
  }

  has(name: string): boolean {
    const value = this.get(name);
    return value !== undefined && value !== null;
  }

  /** A multi-valued parameter: absent is empty, a single value is a list of one. */
  list(name: string): unknown[] {
    const value = this.has(name) ? this.get(name) : this.get(`${name}s`);
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
  }

  /** Parameters signal-cli has that sigsock cannot honour yet: refused, never silently ignored. */
  refuseUnsupported(method: string, names: readonly string[]): void {
    for (const name of names) {
      const value = this.get(name);
      if (value !== undefined && value !== null && value !== false) {
        throw new RpcError(USER_ERROR, `${method}: the parameter "${name}" is not supported by sigsock yet (see docs/jsonrpc.md)`);
      }
    }
  }
}
