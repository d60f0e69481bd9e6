// Placeholder: replaced by the aliyun adapter.
import type { Provider } from "../types.js";

export const aliyunProvider = { name: "aliyun" } as unknown as Provider;
