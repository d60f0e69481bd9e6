// What a Node.js native addon's symbols say about the Node.js it needs.
//
// A NAN / plain V8 addon exports `node_register_module_v<N>`, N being the NODE_MODULE_VERSION of
// the Node.js it was compiled against: it loads on that Node major only ("was compiled against a
// different Node.js version using NODE_MODULE_VERSION ..."). Source: the "abi_version_registry"
// of nodejs/node (doc/abi_version_registry.json).
//
// A Node-API addon exports `napi_register_module_v1` and runs on any Node.js that has every
// Node-API function it imports. Which version added which function: Node.js's "Node-API version
// matrix" and the `NAPI_VERSION >= N` guards of js_native_api.h / node_api.h. Only functions added
// after version 3 are listed: everything older is in every runtime the clouds still offer.

/** NODE_MODULE_VERSION -> Node.js major. */
export const NODE_MODULE_VERSIONS: Readonly<Record<number, number>> = {
  48: 6,
  57: 8,
  64: 10,
  72: 12,
  83: 14,
  93: 16,
  108: 18,
  115: 20,
  127: 22,
  137: 24,
};

/** The Node-API version that added each function (later than 3). */
export const NAPI_FUNCTION_VERSIONS: Readonly<Record<string, number>> = {
  napi_create_threadsafe_function: 4,
  napi_get_threadsafe_function_context: 4,
  napi_call_threadsafe_function: 4,
  napi_acquire_threadsafe_function: 4,
  napi_release_threadsafe_function: 4,
  napi_unref_threadsafe_function: 4,
  napi_ref_threadsafe_function: 4,
  napi_create_date: 5,
  napi_is_date: 5,
  napi_get_date_value: 5,
  napi_add_finalizer: 5,
  napi_create_bigint_int64: 6,
  napi_create_bigint_uint64: 6,
  napi_create_bigint_words: 6,
  napi_get_value_bigint_int64: 6,
  napi_get_value_bigint_uint64: 6,
  napi_get_value_bigint_words: 6,
  napi_get_all_property_names: 6,
  napi_set_instance_data: 6,
  napi_get_instance_data: 6,
  napi_detach_arraybuffer: 7,
  napi_is_detached_arraybuffer: 7,
  napi_add_async_cleanup_hook: 8,
  napi_remove_async_cleanup_hook: 8,
  napi_type_tag_object: 8,
  napi_check_object_type_tag: 8,
  napi_object_freeze: 8,
  napi_object_seal: 8,
  node_api_symbol_for: 9,
  node_api_get_module_file_name: 9,
  node_api_create_syntax_error: 9,
  node_api_throw_syntax_error: 9,
  node_api_create_external_string_latin1: 10,
  node_api_create_external_string_utf16: 10,
  node_api_create_property_key_utf16: 10,
};

/** What an addon's dynamic symbols imply: the Node major it is tied to, or the Node-API version it needs. */
export function nodeAddonNeeds(defined: Iterable<string>, imported: Iterable<string>): { nodeModuleVersion?: number; napi?: number } {
  const out: { nodeModuleVersion?: number; napi?: number } = {};
  let napiAddon = false;
  for (const name of defined) {
    const m = /^node_register_module_v(\d+)$/.exec(name);
    if (m) out.nodeModuleVersion = Number(m[1]);
    if (name === "napi_register_module_v1" || name === "node_api_module_get_api_version_v1") napiAddon = true;
  }
  let napi = 0;
  for (const name of imported) {
    if (name.startsWith("napi_") || name.startsWith("node_api_")) {
      napiAddon = true;
      napi = Math.max(napi, NAPI_FUNCTION_VERSIONS[name] ?? 1);
    }
  }
  if (napiAddon && out.nodeModuleVersion === undefined) out.napi = Math.max(napi, 1);
  return out;
}
