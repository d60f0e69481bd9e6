// Typed readers for the members of a JSON request body, shared by the clouds: each gives its own
// errors for an absent member and for one of the wrong JSON type (Tencent MissingParameter /
// InvalidParameter, Lambda InvalidRequestContentException). Value rules stay with each action.
export type Params = Record<string, unknown>;

export interface ParamErrors {
  missing(name: string): Error;
  wrongType(name: string, expected: string): Error;
  /** What counts as an integer (Tencent: safe integers; Lambda's JSON reader: any whole number). */
  isInteger?(v: number): boolean;
  /** How the cloud names a list of strings in its messages (default "an array of strings"). */
  stringArray?: string;
}

export function paramReaders(e: ParamErrors) {
  const isInteger = e.isInteger ?? Number.isSafeInteger;
  const absent = (v: unknown) => v === undefined || v === null;
  function optionalString(p: Params, name: string): string | undefined {
    const v = p[name];
    if (absent(v)) return undefined;
    if (typeof v !== "string") throw e.wrongType(name, "a string");
    return v;
  }
  function optionalInteger(p: Params, name: string): number | undefined {
    const v = p[name];
    if (absent(v)) return undefined;
    if (typeof v !== "number" || !isInteger(v)) throw e.wrongType(name, "an integer");
    return v;
  }
  return {
    optionalString,
    optionalInteger,
    requiredString(p: Params, name: string): string {
      const v = optionalString(p, name);
      if (v === undefined || v === "") throw e.missing(name);
      return v;
    },
    requiredInteger(p: Params, name: string): number {
      const v = optionalInteger(p, name);
      if (v === undefined) throw e.missing(name);
      return v;
    },
    optionalStringArray(p: Params, name: string): string[] | undefined {
      const v = p[name];
      if (absent(v)) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw e.wrongType(name, e.stringArray ?? "an array of strings");
      return v as string[];
    },
    optionalObject(p: Params, name: string): Params | undefined {
      const v = p[name];
      if (absent(v)) return undefined;
      if (typeof v !== "object" || Array.isArray(v)) throw e.wrongType(name, "an object");
      return v as Params;
    },
    optionalBoolean(p: Params, name: string): boolean | undefined {
      const v = p[name];
      if (absent(v)) return undefined;
      if (typeof v !== "boolean") throw e.wrongType(name, "a boolean");
      return v;
    },
  };
}
