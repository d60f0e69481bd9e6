// The CLI's environment in every bench: the same clean shell the tests run the CLI in.
export { cleanEnv as cliEnv } from "../test/helpers/clean-env.mjs";
