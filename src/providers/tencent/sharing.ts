// SCF has no API to share a layer with other accounts: `layerctl share` refuses with this reason
// (release-apis.md: since 2025 layer visibility follows tags).
export const TENCENT_SHARING = {
  scope: "none",
  unsupported: "Tencent SCF has no API to share a layer with other accounts (layer visibility follows tags)",
} as const;
