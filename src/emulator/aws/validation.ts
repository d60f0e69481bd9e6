// Model constraints (length, pattern, enum, required) are checked by AWS's front end before Lambda
// runs, and fail as one ValidationException listing every violation:
//   "2 validation errors detected: Value 'x' at 'layerName' failed to satisfy constraint: ...; Value ..."
import { AwsApiError } from "./errors.js";

export class Violations {
  private readonly items: string[] = [];

  add(value: unknown, member: string, constraint: string): void {
    this.items.push(`Value ${show(value)} at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  maxLength(value: string | unknown[] | undefined, member: string, max: number): void {
    if (value !== undefined && value.length > max) this.add(value, member, `Member must have length less than or equal to ${max}`);
  }

  minLength(value: string | unknown[] | undefined, member: string, min: number): void {
    if (value !== undefined && value.length < min) this.add(value, member, `Member must have length greater than or equal to ${min}`);
  }

  pattern(value: string | undefined, member: string, re: RegExp, source: string): void {
    if (value !== undefined && !re.test(value)) this.add(value, member, `Member must satisfy regular expression pattern: ${source}`);
  }

  required(value: unknown, member: string): void {
    if (value === undefined || value === null) this.add(null, member, "Member must not be null");
  }

  enumList(values: string[] | undefined, member: string, allowed: readonly string[]): void {
    if (values === undefined) return;
    if (values.some((v) => !allowed.includes(v))) {
      this.add(values, member, `Member must satisfy constraint: [Member must satisfy enum value set: [${allowed.join(", ")}]]`);
    }
  }

  enumValue(value: string | undefined, member: string, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value)) this.add(value, member, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  }

  range(value: number | undefined, member: string, min: number, max: number): void {
    if (value === undefined) return;
    if (value < min) this.add(value, member, `Member must have value greater than or equal to ${min}`);
    else if (value > max) this.add(value, member, `Member must have value less than or equal to ${max}`);
  }

  throwIfAny(): void {
    const n = this.items.length;
    if (n === 0) return;
    throw new AwsApiError("ValidationException", `${n} validation error${n === 1 ? "" : "s"} detected: ${this.items.join("; ")}`);
  }
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `'[${value.map(String).join(", ")}]'`;
  return `'${String(value)}'`;
}
