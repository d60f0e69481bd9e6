// Reading typed request parameters with the API's own codes: absent -> MissingParameter,
// wrong JSON type -> InvalidParameter. Value rules (names, lengths...) stay with each action.
import { missing, wrongType } from "./errors.js";

export type Params = Record<string, unknown>;

export function requiredString(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === null || v === "") throw missing(name);
  if (typeof v !== "string") throw wrongType(name, "a string");
  return v;
}

export function optionalString(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw wrongType(name, "a string");
  return v;
}

export function requiredInteger(p: Params, name: string): number {
  const v = p[name];
  if (v === undefined || v === null) throw missing(name);
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw wrongType(name, "an integer");
  return v;
}

export function optionalInteger(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw wrongType(name, "an integer");
  return v;
}

export function optionalStringArray(p: Params, name: string): string[] | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw wrongType(name, "an array of strings");
  return v as string[];
}

export function optionalObject(p: Params, name: string): Params | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw wrongType(name, "an object");
  return v as Params;
}
