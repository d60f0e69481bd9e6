// Reading typed request parameters with the API's own codes: absent -> MissingParameter,
// wrong JSON type -> InvalidParameter. Value rules (names, lengths...) stay with each action.
import { paramReaders } from "../params.js";
import { missing, wrongType } from "./errors.js";

export type { Params } from "../params.js";

export const { requiredString, optionalString, requiredInteger, optionalInteger, optionalStringArray, optionalObject } = paramReaders({ missing, wrongType });
