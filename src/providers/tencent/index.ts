// Placeholder: replaced by the tencent adapter.
import type { Provider } from "../types.js";

export const tencentProvider = { name: "tencent" } as unknown as Provider;
